import type { Server as HttpServer } from 'node:http';
import { parse as parseCookies } from 'cookie';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/contract/socket-events.ts';
import { replayRequestSchema } from '../../src/lib/contract/socket-events.ts';
import { can, visibleSites, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { Logger } from '../logger.ts';
import { SESSION_COOKIE } from '../services/auth.service.ts';
import type { Services } from '../services/services.ts';
import { OutboxRelay, roomsFor } from './outbox.relay.ts';

interface SocketData {
	principal: Principal;
	/** Live events held back while a replay for this socket is in flight. */
	replaying: boolean;
}

export type PbServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type PbSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;
const REVALIDATE_MS = 5_000;

export interface SocketDeps {
	services: Services;
	log: Logger;
}

export function createSocketServer(http: HttpServer, d: SocketDeps) {
	const io: PbServer = new Server(http, {
		path: '/socket.io',
		serveClient: false,
		maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
		// The Yjs endpoint shares the server and authorises asynchronously (DESIGN.md stack facts).
		destroyUpgrade: false,
		pingInterval: 20_000,
		pingTimeout: 20_000
	});
	const relay = new OutboxRelay(io, d.services.repos.outbox, d.log);

	io.use(async (socket, next) => {
		try {
			const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined;
			const principal = token
				? await d.services.auth.fromBearer(token)
				: await d.services.auth.fromCookie(parseCookies(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE]);
			if (!principal || !can(principal, 'positions:read')) return next(new Error('unauthorised'));
			socket.data = { principal, replaying: false };
			next();
		} catch (err) {
			d.log.error({ err }, 'socket auth failed');
			next(new Error('unauthorised'));
		}
	});

	io.on('connection', (socket: PbSocket) => {
		void socket.join(roomsFor(visibleSites(socket.data.principal)));
		socket.on('replay', async (req, ack) => {
			if (typeof ack !== 'function') return;
			const parsed = replayRequestSchema.safeParse(req);
			if (!parsed.success) return ack({ error: 'replay expects {sinceSeq: integer >= 0}' });
			try {
				ack({ upTo: await relay.replay(socket, parsed.data.sinceSeq) });
			} catch (err) {
				d.log.error({ err }, 'replay failed');
				ack({ error: 'replay failed' });
			}
		});
	});

	// A revoked session must lose its open sockets within seconds, not at the next reconnect.
	const revalidate = setInterval(async () => {
		for (const socket of io.of('/').sockets.values()) {
			const ok = await d.services.auth.stillValid(socket.data.principal).catch(() => true);
			if (!ok) socket.disconnect(true);
		}
	}, REVALIDATE_MS);
	revalidate.unref();

	return {
		io,
		relay,
		async start() {
			await relay.start();
		},
		async close() {
			clearInterval(revalidate);
			await relay.stop();
			io.disconnectSockets(true);
			await new Promise<void>((resolve) => io.close(() => resolve()));
		}
	};
}

import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, Subscription } from '../../src/lib/contract/socket-events.ts';
import { alertAckRequestSchema, replayRequestSchema, subscribeRequestSchema, SUBSCRIBE_MAX_SITES, SUBSCRIBE_MAX_SKUS } from '../../src/lib/contract/socket-events.ts';
import { AppError, DependencyUnavailableError } from '../services/errors.ts';
import { isUnavailableError } from '../../src/lib/server/unavailable.ts';
import { can, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { Logger } from '../logger.ts';
import type { Services } from '../services/services.ts';
import { handshakeCredentials, principalOf } from '../auth/credentials.ts';
import { startRevalidation } from './access.revalidator.ts';
import { OutboxRelay } from './outbox.relay.ts';
import { everything, resolveSubscription, roomsFor } from './subscription.ts';
import { dropHandshakeState } from './socket.memory.ts';
import type { OutboxRepository } from '../repositories/outbox.repository.ts';

interface SocketData {
	principal: Principal;
	/** What this socket receives of the outbox (everything it may see until it subscribes to less). */
	sub: Subscription;
}

export type PbServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type PbSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;
/** A handshake whose session lookup takes longer than this is refused as 'unavailable' (database hung). */
const HANDSHAKE_DEADLINE_MS = 1500;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new DependencyUnavailableError(`no answer in ${ms} ms`)), ms);
	});
	return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export interface SocketDeps {
	services: Services;
	/** The outbox this node's relay tails. */
	outbox: OutboxRepository;
	log: Logger;
	/** Origins besides our own whose pages may connect with the session cookie (ALLOWED_ORIGINS). */
	allowedOrigins?: string[];
	/** `heartbeat` interval (HEARTBEAT_MS); wall screens call themselves stale after two missed beats. */
	heartbeatMs?: number;
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
		// No connectionStateRecovery on purpose: it fails on long idle connections; clients replay by seq.
	});
	const relay = new OutboxRelay(io, d.outbox, d.log);

	io.use(async (socket, next) => {
		try {
			const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined;
			const credentials = handshakeCredentials(socket.request, token, d.allowedOrigins ?? []);
			if (credentials === 'cross-origin') return next(new Error('cross-origin refused'));
			const principal = await withDeadline(principalOf(d.services.auth, credentials), HANDSHAKE_DEADLINE_MS);
			if (!principal || !can(principal, 'live:read')) return next(new Error('unauthorised'));
			socket.data = { principal, sub: everything() };
			next();
		} catch (err) {
			// Postgres away or hung: say so at once (the client retries with backoff) instead of hanging the handshake.
			if (isUnavailableError(err)) return next(new Error('unavailable'));
			d.log.error({ err }, 'socket auth failed');
			next(new Error('unauthorised'));
		}
	});

	io.on('connection', (socket: PbSocket) => {
		dropHandshakeState(socket);
		const { principal } = socket.data;
		void socket.join(roomsFor(principal));
		// One replay at a time per socket: a client asking again and again cannot multiply the work.
		let replaying = false;
		socket.on('subscribe', (req, ack) => {
			const reply = typeof ack === 'function' ? ack : () => {};
			const parsed = subscribeRequestSchema.safeParse(req);
			if (!parsed.success) {
				return reply({
					error: `subscribe expects {topics: ("position"|"alert"|"commitment")[], positions?: {sites?, skus?}, alerts?: {sites?}} with at most ${SUBSCRIBE_MAX_SITES} sites and ${SUBSCRIBE_MAX_SKUS} SKUs: ${parsed.error.issues[0]?.message ?? 'invalid'}`
				});
			}
			const sub = resolveSubscription(principal, parsed.data);
			if ('error' in sub) return reply(sub);
			for (const room of [...socket.rooms]) if (room !== socket.id) void socket.leave(room);
			socket.data.sub = sub;
			void socket.join(roomsFor(principal, sub));
			// The narrowing is echoed only when asked for: a plain {topics} subscribe answers as it always did.
			reply({ topics: sub.topics, ...(parsed.data.positions && { positions: sub.positions }), ...(parsed.data.alerts && { alerts: sub.alerts }) });
		});
		socket.on('replay', async (req, ack) => {
			if (typeof ack !== 'function') return;
			const parsed = replayRequestSchema.safeParse(req);
			if (!parsed.success) return ack({ error: 'replay expects {sinceSeq: integer >= 0}' });
			if (replaying) return ack({ error: 'a replay is already running on this socket' });
			replaying = true;
			try {
				ack(await relay.replay(socket, parsed.data.sinceSeq));
			} catch (err) {
				if (isUnavailableError(err)) d.log.warn({ err: (err as Error).message }, 'replay failed: database away');
				else d.log.error({ err }, 'replay failed');
				ack({ error: 'replay failed' });
			} finally {
				replaying = false;
			}
		});
		socket.on('alert:ack', async (req, ack) => {
			const reply = typeof ack === 'function' ? ack : () => {};
			const parsed = alertAckRequestSchema.safeParse(req);
			if (!parsed.success) return reply({ error: 'alert:ack expects {id: string}' });
			try {
				// The socket authenticated at connect; a write re-checks revocation now, and fails
				// closed if that check cannot be made (the periodic loop cuts nobody while Postgres is away).
				if (!(await d.services.auth.stillValid(socket.data.principal))) {
					socket.disconnect(true);
					return reply({ error: 'access revoked' });
				}
				await d.services.alerts.acknowledge(socket.data.principal, parsed.data.id);
				reply({ ok: true });
			} catch (err) {
				if (isUnavailableError(err)) return reply({ error: 'unavailable: try again shortly' });
				if (!(err instanceof AppError)) d.log.error({ err }, 'alert:ack failed');
				reply({ error: err instanceof AppError ? err.message : 'internal error' });
			}
		});
	});

	// Engine.io pings prove the socket is open, not that this server still relays: a visible beat does.
	const every = d.heartbeatMs ?? 10_000;
	const heartbeat = setInterval(() => io.local.emit('heartbeat', { at: Date.now(), every }), every);
	heartbeat.unref();

	const stopRevalidation = startRevalidation({
		principals: () => [...io.of('/').sockets.values()].map((s) => s.data.principal),
		revoked: (principals) => d.services.auth.revoked(principals),
		cut: (dead) => {
			for (const socket of io.of('/').sockets.values()) if (dead.has(socket.data.principal)) socket.disconnect(true);
		},
		log: d.log
	});

	return {
		io,
		relay,
		async start() {
			await relay.start();
		},
		async close() {
			clearInterval(heartbeat);
			stopRevalidation();
			await relay.stop();
			io.disconnectSockets(true);
			await new Promise<void>((resolve) => io.close(() => resolve()));
		}
	};
}

// The fan-out benchmark's clients, in a process of their own so the server's heap is measured alone.
// Driven by the parent over IPC: connect N sockets, arm for a marker, report each socket's arrival time.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, OutboxTopic, ServerToClientEvents } from '../src/lib/contract/socket-events.ts';

type Cmd =
	| { cmd: 'connect'; url: string; token: string; n: number; concurrency: number }
	| { cmd: 'expect'; kind: 'alert' | 'notice'; marker: string; timeoutMs: number }
	| { cmd: 'subscribe'; topics: OutboxTopic[] }
	| { cmd: 'close' };

const sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
/** Epoch ms with sub-ms precision, comparable across processes on one machine. */
const now = () => performance.timeOrigin + performance.now();
let armed: { kind: 'alert' | 'notice'; marker: string; arrivals: Map<number, number>; done: () => void } | null = null;

function onMessage(i: number, kind: 'alert' | 'notice', key: string): void {
	if (!armed || armed.kind !== kind || key !== armed.marker || armed.arrivals.has(i)) return;
	armed.arrivals.set(i, now());
	if (armed.arrivals.size === sockets.length) armed.done();
}

async function connect(c: Extract<Cmd, { cmd: 'connect' }>): Promise<void> {
	const t0 = now();
	let next = sockets.length;
	const target = sockets.length + c.n;
	const one = (i: number) =>
		new Promise<void>((resolve, reject) => {
			const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(c.url, { transports: ['websocket'], auth: { token: c.token }, reconnection: false, forceNew: true });
			s.on('alert', (m) => onMessage(i, 'alert', m.sku ?? ''));
			s.on('notice', (m) => onMessage(i, 'notice', m.message));
			s.once('connect', () => resolve());
			s.once('connect_error', reject);
			sockets[i] = s;
		});
	await Promise.all(
		Array.from({ length: c.concurrency }, async () => {
			while (next < target) await one(next++);
		})
	);
	process.send!({ type: 'connected', total: sockets.length, ms: now() - t0 });
}

process.on('message', async (c: Cmd) => {
	try {
		if (c.cmd === 'connect') await connect(c);
		else if (c.cmd === 'subscribe') {
			await Promise.all(sockets.map((s) => s.emitWithAck('subscribe', { topics: c.topics })));
			process.send!({ type: 'subscribed' });
		} else if (c.cmd === 'expect') {
			const arrivals = new Map<number, number>();
			const done = () => {
				clearTimeout(timer);
				armed = null;
				process.send!({ type: 'arrivals', marker: c.marker, times: [...arrivals.values()], missing: sockets.length - arrivals.size });
			};
			const timer = setTimeout(done, c.timeoutMs);
			armed = { kind: c.kind, marker: c.marker, arrivals, done };
			process.send!({ type: 'armed', marker: c.marker });
		} else if (c.cmd === 'close') {
			for (const s of sockets) s.disconnect();
			process.send!({ type: 'closed' }, () => process.exit(0));
		}
	} catch (err) {
		process.send!({ type: 'error', message: String(err) });
	}
});
process.send!({ type: 'ready' });

// A real HTTP receiver for webhook tests: node:http on a free port, recording every request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
	path: string;
	headers: IncomingMessage['headers'];
	body: string;
	at: number;
	/** The status answered; null while the request hangs. */
	status: number | null;
}

/** How to answer a request on a path: a status, or 'hang' (read the body, never answer). */
export type Behaviour = (count: number) => number | 'hang';

export interface Receiver {
	url: string;
	received: Received[];
	on(path: string, behaviour: Behaviour): void;
	close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
	const received: Received[] = [];
	const behaviours = new Map<string, Behaviour>();
	const hanging = new Set<ServerResponse>();
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const path = req.url ?? '/';
			const entry: Received = { path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now(), status: null };
			received.push(entry);
			const count = received.filter((r) => r.path === path).length;
			const answer = (behaviours.get(path) ?? (() => 200))(count);
			if (answer === 'hang') return void hanging.add(res);
			entry.status = answer;
			res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'nope');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		on: (path, behaviour) => void behaviours.set(path, behaviour),
		async close() {
			for (const res of hanging) res.destroy();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

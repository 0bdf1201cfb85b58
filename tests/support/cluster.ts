// Several web nodes behind a real load balancer: Debian's haproxy, a private redis-server that a test
// may stop and start, and the worker process, each a child process on free ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_INGEST_TOKEN } from './node.ts';
import { boardClient, type BoardClient } from './yjs.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as { port: number };
			srv.close(() => resolve(port));
		});
	});
}

/** A child process whose output is kept for failure messages; resolves once `ready` matches its output. */
export interface Child {
	process: ChildProcess;
	output(): string;
	/** Resolves with the exit code (kill -9 gives null). */
	kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A spawned process as the tests hold it: its output so far, and a kill that waits for the exit. */
function childHandle(child: ChildProcess, output: () => string): Child {
	return {
		process: child,
		output,
		kill(signal = 'SIGTERM') {
			if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
			return new Promise((resolve) => {
				child.once('exit', (code) => resolve(code));
				child.kill(signal);
			});
		}
	};
}

export function startChild(command: string, args: string[], env: Record<string, string>, ready: RegExp, what: string): Promise<Child & { match: RegExpExecArray }> {
	const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	const handle = childHandle(child, () => out);
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${out}`)), 40_000);
		const onData = (chunk: Buffer) => {
			out += chunk.toString();
			const match = ready.exec(out);
			if (!match) return;
			child.stdout!.off('data', onData);
			child.stderr!.off('data', onData);
			// Keep draining the pipes (a full pipe would stall the child) and keep the text.
			child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
			child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
			clearTimeout(timer);
			child.off('exit', onExit);
			resolve({ ...handle, match });
		};
		const onExit = (code: number | null) => {
			clearTimeout(timer);
			reject(new Error(`${what} exited with ${code}:\n${out}`));
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.once('exit', onExit);
	});
}

/** A redis-server of the test's own (no persistence), so the test can stop and restart it. */
export function startRedis(port: number): Promise<Child> {
	return startChild('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {}, /Ready to accept connections/, 'redis-server');
}

/** A web node (`server/main.ts`, no in-process workers); resolves with the port it listens on. */
export async function startWebNode(env: Record<string, string>): Promise<Child & { port: number }> {
	const child = await startChild(
		process.execPath,
		['--import', 'tsx', 'server/main.ts'],
		{ HOST: '127.0.0.1', PORT: '0', WORKERS: '0', INGEST_TOKEN: TEST_INGEST_TOKEN, LOG_LEVEL: 'info', ...env },
		/"port":(\d+)[^\n]*listening/,
		'web node'
	);
	return { ...child, port: Number(child.match[1]) };
}

/** The BullMQ workers as their own process (`server/worker.main.ts`), as a scaled-out deployment runs them. */
export function startWorker(env: Record<string, string>): Promise<Child> {
	return startChild(process.execPath, ['--import', 'tsx', 'server/worker.main.ts'], { LOG_LEVEL: 'info', WORKER_CONCURRENCY: '4', ...env }, /workers running/, 'worker');
}

/**
 * HAProxy in front of `servers` (name → port): round robin, no stickiness, health checks on
 * /healthz, a failed connect redispatched to another server, tunnel timeouts long enough for
 * WebSockets. Every answer names the server that gave it (X-Served-By), WebSocket upgrades too.
 */
export async function startHaproxy(port: number, servers: Record<string, number>): Promise<Child> {
	const config = join(tmpdir(), `pb-haproxy-${port}.cfg`);
	writeFileSync(
		config,
		[
			'global',
			'  maxconn 2000',
			'defaults',
			'  mode http',
			'  option redispatch',
			'  retries 3',
			'  timeout connect 1s',
			'  timeout client 30s',
			'  timeout server 30s',
			'  timeout tunnel 1h',
			'  timeout client-fin 1s',
			'  timeout server-fin 1s',
			'frontend web',
			`  bind 127.0.0.1:${port}`,
			'  default_backend nodes',
			'backend nodes',
			'  balance roundrobin',
			'  option httpchk GET /healthz',
			'  http-response set-header X-Served-By %[srv_name]',
			'  default-server inter 250ms fall 1 rise 2',
			...Object.entries(servers).map(([name, p]) => `  server ${name} 127.0.0.1:${p} check`)
		].join('\n') + '\n'
	);
	const child = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	child.stdout.on('data', (c: Buffer) => (out += c.toString()));
	child.stderr.on('data', (c: Buffer) => (out += c.toString()));
	const handle = childHandle(child, () => out);
	// Up once every server answers its health check through it.
	const until = Date.now() + 15_000;
	const seen = new Set<string>();
	while (seen.size < Object.keys(servers).length) {
		if (child.exitCode !== null) throw new Error(`haproxy exited:\n${out}`);
		if (Date.now() > until) throw new Error(`haproxy did not reach every server (saw ${[...seen].join(', ')}):\n${out}`);
		const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
		const by = res?.ok ? res.headers.get('x-served-by') : null;
		if (by) seen.add(by);
		else await new Promise((r) => setTimeout(r, 100));
	}
	return handle;
}

export interface ProxiedClient extends BoardClient {
	/** The server (HAProxy's name) the current connection landed on. */
	servedBy(): string;
}

/** The official y-websocket provider through the proxy, signed in by cookie, noting which node serves it. */
export function proxiedClient(proxyUrl: string, board: string, cookie: string): ProxiedClient {
	let servedBy = '';
	// Reconnect promptly after a node dies (the default backs off up to 2.5 s).
	const client = boardClient(proxyUrl, board, { cookie, maxBackoffTime: 300, onUpgrade: (res) => (servedBy = String(res.headers['x-served-by'] ?? '')) });
	return { ...client, servedBy: () => (client.provider.wsconnected ? servedBy : '') };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hash } from '@node-rs/argon2';
import type { Role } from '../../src/lib/contract/domain.ts';
import { TEST_INGEST_TOKEN } from './node.ts';
import { createTestServices, type TestServices } from './services.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SpawnedNode {
	url: string;
	port: number;
	db: TestServices;
	child: ChildProcess;
	/** Output of the child so far, for failure messages. */
	output(): string;
	/** Starts the same node again (same database and prefix) after a stop or kill. */
	restart(): Promise<void>;
	kill(signal?: NodeJS.Signals): Promise<number | null>;
	stop(): Promise<void>;
}

/** Starts `node --import tsx server/main.ts` and resolves with the port it logged once listening. */
export function startServerProcess(env: Record<string, string>, onOutput: (text: string) => void = () => {}) {
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
		cwd: ROOT,
		env: { ...process.env, HOST: '127.0.0.1', INGEST_TOKEN: TEST_INGEST_TOKEN, LOG_LEVEL: 'info', WORKER_CONCURRENCY: '8', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let own = '';
	let listening = false;
	const port = new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`node did not start:\n${own}`)), 30_000);
		child.stdout!.on('data', (chunk: Buffer) => {
			own += chunk.toString();
			onOutput(chunk.toString());
			// Once only: matching again on later output would drop the 'exit' listener kill() adds.
			const m = listening ? null : /"port":(\d+)[^\n]*listening/.exec(own);
			if (m) {
				listening = true;
				clearTimeout(timer);
				child.removeAllListeners('exit');
				resolve(Number(m[1]));
			}
		});
		child.stderr!.on('data', (c: Buffer) => {
			own += c.toString();
			onOutput(c.toString());
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`node exited with ${code}:\n${own}`));
		});
	});
	return { child, port };
}

/**
 * The real server as its own process (`node --import tsx server/main.ts`), the way `npm start` runs
 * it. Browser tests need this: SvelteKit's built handler must be loaded by Node itself.
 */
export async function spawnTestNode(label: string, env: Record<string, string> = {}): Promise<SpawnedNode> {
	const db = await createTestServices(label);
	let log = '';
	let child!: ChildProcess;
	let port = 0;
	const start = async (fixedPort: number) => {
		const started = startServerProcess(
			{ PORT: String(fixedPort), DATABASE_URL: db.databaseUrl, REDIS_URL: db.redisUrl, REDIS_PREFIX: db.redisPrefix, ...env },
			(text) => (log += text)
		);
		child = started.child;
		port = await started.port;
	};
	await start(0);
	const node: SpawnedNode = {
		get url() {
			return `http://127.0.0.1:${port}`;
		},
		get port() {
			return port;
		},
		db,
		get child() {
			return child;
		},
		output: () => log,
		restart: () => start(port),
		kill(signal = 'SIGTERM') {
			if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
			return new Promise((resolve) => {
				child.once('exit', (code) => resolve(code));
				child.kill(signal);
			});
		},
		async stop() {
			await node.kill('SIGTERM');
			await db.teardown();
		}
	};
	return node;
}

/** Creates a user with a known password straight in the database. */
export async function createUser(db: TestServices, email: string, role: Role, password = 'pw-for-tests'): Promise<void> {
	await db.sql`
		insert into users (email, name, role, password_hash)
		values (${email}, ${email.split('@')[0]}, ${role}, ${await hash(password)})
		on conflict (email) do update set role = excluded.role, password_hash = excluded.password_hash
	`;
}

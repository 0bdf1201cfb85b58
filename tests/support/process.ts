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
		child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
			cwd: ROOT,
			env: {
				...process.env,
				PORT: String(fixedPort),
				HOST: '127.0.0.1',
				DATABASE_URL: db.databaseUrl,
				REDIS_URL: db.redisUrl,
				REDIS_PREFIX: db.redisPrefix,
				INGEST_TOKEN: TEST_INGEST_TOKEN,
				LOG_LEVEL: 'info',
				WORKER_CONCURRENCY: '4',
				...env
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		port = await new Promise<number>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`node did not start:\n${log}`)), 30_000);
			const onData = (chunk: Buffer) => {
				log += chunk.toString();
				const m = /"port":(\d+)[^\n]*listening/.exec(log.slice(-4000));
				if (m) {
					clearTimeout(timer);
					resolve(Number(m[1]));
				}
			};
			child.stdout!.on('data', onData);
			child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
			child.once('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`node exited with ${code}:\n${log}`));
			});
		});
		child.removeAllListeners('exit');
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

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A TCP port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as { port: number };
			s.close(() => resolve(port));
		});
	});
}

function postgresBin(tool: string): string {
	const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
	if (!versions.length) throw new Error('no PostgreSQL under /usr/lib/postgresql (Debian packages)');
	return `/usr/lib/postgresql/${versions[0]}/bin/${tool}`;
}

/** Runs a PostgreSQL tool as the `postgres` OS user when we are root (initdb and pg_ctl refuse root). */
async function asPostgres(tool: string, args: string[]): Promise<string> {
	const bin = postgresBin(tool);
	const isRoot = process.getuid?.() === 0;
	const { stdout } = isRoot ? await run('runuser', ['-u', 'postgres', '--', bin, ...args]) : await run(bin, args);
	return stdout;
}

/**
 * A private PostgreSQL cluster in a temp dir, on a free port, that the suite may stop, crash and
 * freeze at will without touching the machine's own server.
 */
export class PgCluster {
	readonly dir: string;
	private constructor(
		readonly port: number,
		private readonly root: string
	) {
		this.dir = join(root, 'data');
	}

	static async create(): Promise<PgCluster> {
		const root = mkdtempSync(join(tmpdir(), 'pb-faults-pg-'));
		if (process.getuid?.() === 0) {
			const { stdout } = await run('id', ['-u', 'postgres']);
			const { stdout: gid } = await run('id', ['-g', 'postgres']);
			chownSync(root, Number(stdout.trim()), Number(gid.trim()));
		}
		const c = new PgCluster(await freePort(), root);
		await asPostgres('initdb', ['-D', c.dir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
		return c;
	}

	get url(): string {
		return `postgres://postgres@127.0.0.1:${this.port}`;
	}

	async start(): Promise<void> {
		// fsync off: the suite crashes processes, never the machine, so the page cache keeps every commit.
		const opts = `-p ${this.port} -k ${this.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
		await asPostgres('pg_ctl', ['-D', this.dir, '-l', join(this.root, 'log'), '-o', opts, '-w', '-t', '60', 'start']);
	}

	/** `immediate` is a crash: no checkpoint, crash recovery at the next start. */
	async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
		await asPostgres('pg_ctl', ['-D', this.dir, '-m', mode, '-w', 'stop']);
	}

	private pids(): number[] {
		const postmaster = Number(readFileSync(join(this.dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
		return [postmaster, ...childrenOf(postmaster)];
	}

	/** Freezes the postmaster and every backend: connections stay open and nothing answers. */
	freeze(): void {
		for (const pid of this.pids()) process.kill(pid, 'SIGSTOP');
	}

	thaw(): void {
		for (const pid of this.pids().reverse()) process.kill(pid, 'SIGCONT');
	}

	async destroy(): Promise<void> {
		try {
			this.thaw();
		} catch {
			// not running
		}
		await this.stop('immediate').catch(() => {});
		rmSync(this.root, { recursive: true, force: true });
	}
}

function childrenOf(pid: number): number[] {
	const out: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			// Field 4 of /proc/<pid>/stat is the parent; the command name (field 2) may hold spaces.
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === pid) out.push(Number(entry));
		} catch {
			// exited meanwhile
		}
	}
	return out;
}

/** A private redis-server without persistence: stopping it loses every key, as an outage may. */
export class RedisServer {
	private child: ChildProcess | null = null;
	private constructor(readonly port: number) {}

	static async create(): Promise<RedisServer> {
		return new RedisServer(await freePort());
	}

	get url(): string {
		return `redis://127.0.0.1:${this.port}`;
	}

	async start(): Promise<void> {
		const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
			stdio: ['ignore', 'pipe', 'pipe']
		});
		this.child = child;
		await new Promise<void>((resolve, reject) => {
			let out = '';
			child.stdout!.on('data', (c: Buffer) => {
				out += c.toString();
				if (out.includes('Ready to accept connections')) resolve();
			});
			child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${out}`)));
		});
		child.removeAllListeners('exit');
	}

	async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
		const child = this.child;
		this.child = null;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		await new Promise<void>((resolve) => {
			child.once('exit', () => resolve());
			child.kill(signal);
		});
	}
}

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * A Promiseboard process (web node or worker) as `npm start` / `npm run worker` run it, which the
 * suite may kill -9 and start again with the same environment (and so the same port).
 */
export class AppProcess {
	private child: ChildProcess | null = null;
	private log = '';

	constructor(
		readonly name: string,
		private readonly script: 'server/main.ts' | 'server/worker.main.ts',
		private readonly env: Record<string, string>,
		/** A line of its log that says it is up. */
		private readonly ready: RegExp
	) {}

	output(): string {
		return this.log;
	}

	/** Started and not exited since (a crash during an outage is a failure of its own). */
	alive(): boolean {
		return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
	}

	async start(): Promise<void> {
		const child = spawn(process.execPath, ['--import', 'tsx', this.script], {
			cwd: ROOT,
			env: { ...process.env, LOG_LEVEL: 'info', ...this.env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		this.child = child;
		await new Promise<void>((resolve, reject) => {
			let own = '';
			const timer = setTimeout(() => reject(new Error(`${this.name} did not start:\n${own}`)), 60_000);
			const onData = (c: Buffer) => {
				own += c.toString();
				this.log = (this.log + c.toString()).slice(-200_000);
				if (this.ready.test(own)) {
					clearTimeout(timer);
					child.removeListener('exit', onExit);
					resolve();
				}
			};
			const onExit = (code: number | null) => {
				clearTimeout(timer);
				reject(new Error(`${this.name} exited with ${code}:\n${own}`));
			};
			child.stdout!.on('data', onData);
			child.stderr!.on('data', (c: Buffer) => (this.log = (this.log + c.toString()).slice(-200_000)));
			child.once('exit', onExit);
		});
	}

	kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
		const child = this.child;
		this.child = null;
		if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
		return new Promise((resolve) => {
			child.once('exit', () => resolve());
			child.kill(signal);
		});
	}
}

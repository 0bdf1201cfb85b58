import type { Logger } from './logger.ts';

const FORCE_EXIT_MS = 15_000;

/** SIGTERM/SIGINT close workers, sockets and pools; a second signal or a hung close forces the exit. */
export function installShutdown(log: Logger, close: () => Promise<void>): void {
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) {
			log.warn({ signal }, 'second signal: exiting now');
			process.exit(1);
		}
		stopping = true;
		log.info({ signal }, 'shutting down');
		setTimeout(() => {
			log.error('shutdown timed out');
			process.exit(1);
		}, FORCE_EXIT_MS).unref();
		close().then(
			() => {
				log.info('stopped');
				process.exit(0);
			},
			(err) => {
				log.error({ err }, 'shutdown failed');
				process.exit(1);
			}
		);
	};
	process.on('SIGTERM', () => stop('SIGTERM'));
	process.on('SIGINT', () => stop('SIGINT'));
}

import { configOrExit } from './boot.ts';
import { createLogger } from './logger.ts';
import { startNode } from './node.ts';
import { installShutdown } from './shutdown.ts';

const config = configOrExit();
const log = createLogger(config.logLevel, 'promiseboard-worker');
try {
	const node = await startNode(config, log, { web: false, workers: true });
	log.info('workers running');
	installShutdown(log, () => node.close());
} catch (err) {
	log.fatal({ err }, 'failed to start');
	process.exit(1);
}

import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startNode } from './node.ts';
import { installShutdown } from './shutdown.ts';

let config;
try {
	config = loadConfig();
} catch (err) {
	if (err instanceof ConfigError) {
		console.error(err.message);
		process.exit(78);
	}
	throw err;
}
const log = createLogger(config.logLevel, 'promiseboard-worker');
try {
	const node = await startNode(config, log, { web: false, workers: true });
	log.info('workers running');
	installShutdown(log, () => node.close());
} catch (err) {
	log.fatal({ err }, 'failed to start');
	process.exit(1);
}

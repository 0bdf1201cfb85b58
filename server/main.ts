import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startNode } from './node.ts';
import { startFeed } from './demo/feed.ts';
import { installShutdown } from './shutdown.ts';

let config;
try {
	config = loadConfig();
} catch (err) {
	if (err instanceof ConfigError) {
		console.error(err.message);
		process.exit(78); // EX_CONFIG
	}
	throw err;
}
const log = createLogger(config.logLevel);
try {
	const node = await startNode(config, log, { web: true, workers: config.workers });
	const feed = process.argv.includes('--feed') ? await startFeed(node, log.child({ component: 'feed' })) : null;
	installShutdown(log, async () => {
		feed?.stop();
		await node.close();
	});
} catch (err) {
	log.fatal({ err }, 'failed to start');
	process.exit(1);
}

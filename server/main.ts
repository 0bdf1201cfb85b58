import { configOrExit } from './boot.ts';
import { startFeed } from './demo/feed.ts';
import { createLogger } from './logger.ts';
import { startNode } from './node.ts';
import { installShutdown } from './shutdown.ts';

const config = configOrExit();
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

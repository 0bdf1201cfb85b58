// Fails fast, with the fix in the message, when something the test suite needs is missing.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { spawnSync } from 'node:child_process';

const problems = [];
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) problems.push(`Chromium not found at ${chromium}: apt-get install chromium (or set CHROMIUM_PATH)`);

function reachable(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const s = connect({ port, host, timeout: 2000 }, () => {
			s.end();
			resolve(true);
		});
		s.on('error', () => resolve(false));
		s.on('timeout', () => {
			s.destroy();
			resolve(false);
		});
	});
}
const pg = new URL(process.env.TEST_DATABASE_BASE ?? 'postgres://postgres@127.0.0.1:5432');
const redis = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
if (!(await reachable(Number(pg.port || 5432), pg.hostname))) problems.push(`PostgreSQL is not answering on ${pg.host}: start it (see README, Prerequisites)`);
if (!(await reachable(Number(redis.port || 6379), redis.hostname))) problems.push(`Redis is not answering on ${redis.host}: start it (see README, Prerequisites)`);
// The scale-out tests start their own load balancer and a Redis they can restart.
for (const [bin, pkg] of [['haproxy', 'haproxy'], ['redis-server', 'redis-server']]) {
	if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) problems.push(`${bin} not found: apt-get install ${pkg}`);
}
if (Number(process.versions.node.split('.')[0]) < 20) problems.push(`Node ${process.versions.node} is too old: Node 20 or newer is required`);

if (problems.length) {
	console.error(`Cannot run the tests:\n - ${problems.join('\n - ')}`);
	process.exit(1);
}

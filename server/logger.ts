import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'promiseboard'): Logger {
	return pino({
		name,
		level,
		base: { pid: process.pid },
		timestamp: pino.stdTimeFunctions.isoTime,
		redact: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password']
	});
}

import { ConfigError, loadConfig, type Config } from './config.ts';

/** The environment, parsed once; a bad one ends the process with every problem named (EX_CONFIG). */
export function configOrExit(): Config {
	try {
		return loadConfig();
	} catch (err) {
		if (err instanceof ConfigError) {
			console.error(err.message);
			process.exit(78);
		}
		throw err;
	}
}

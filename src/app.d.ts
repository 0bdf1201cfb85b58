import type { IncomingMessage } from 'node:http';
import type { Principal } from '$lib/policy/access.policy';
import type { RequestContext } from '../server/http/context.ts';

declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			principal: Principal | null;
			/** Server services, handed over by the Express layer that hosts SvelteKit. */
			ctx: RequestContext;
			/** Set by handleError when a load failed because a dependency is away (answered 503). */
			unavailable?: boolean;
		}
		interface Platform {
			req: IncomingMessage & { pb?: RequestContext };
		}
	}
}

export {};

import type { Request } from 'express';
import type { Principal } from '../auth/principal.ts';
import type { Services } from '../services/services.ts';

/** What Express hands to SvelteKit through adapter-node's `platform.req`. */
export interface RequestContext {
	principal: Principal | null;
	services: Services;
}

declare module 'express-serve-static-core' {
	interface Request {
		principal?: Principal | null;
		pb?: RequestContext;
	}
}

export function principalOf(req: Request): Principal | null {
	return req.principal ?? null;
}

import type { z } from 'zod';
import { BadRequestError } from './errors.ts';

/** Parses a body, query or params at the boundary; every problem is named with its path. */
export function parse<T>(schema: z.ZodType<T>, value: unknown, what = 'request'): T {
	const r = schema.safeParse(value);
	if (!r.success) {
		throw new BadRequestError(
			`invalid ${what}`,
			r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
		);
	}
	return r.data;
}

import { z } from 'zod';
import { ROUTES, type RouteDoc } from './openapi.routes.ts';

type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = { openapi: string; paths: Record<string, Record<string, Operation>> } & Record<string, unknown>;
interface Operation {
	operationId: string;
	parameters: { name: string; in: 'path' | 'query'; required: boolean; schema: JsonSchema; description?: string }[];
	requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema; example?: unknown }> };
	[k: string]: unknown;
}

/** A zod schema as the JSON Schema (2020-12, OpenAPI 3.1's dialect) of what a client sends. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
	const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
	return rest;
}

/** `/api/skus/:sku` → `/api/skus/{sku}` */
export const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

const operationId = (r: RouteDoc) =>
	`${r.method}${r.path
		.split('/')
		.filter(Boolean)
		.map((part) => part.replace(/^:/, 'by-'))
		.map((part) => part.replace(/[^A-Za-z0-9]+(.)/g, (_m, c: string) => c.toUpperCase()))
		.map((part) => part.charAt(0).toUpperCase() + part.slice(1))
		.join('')}`;

const API_ERROR: JsonSchema = {
	type: 'object',
	required: ['error'],
	properties: {
		error: { type: 'string' },
		errors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { index: { type: 'integer' }, path: { type: 'string' }, message: { type: 'string' } } } }
	}
};

function operation(r: RouteDoc): Operation {
	const parameters: Operation['parameters'] = [];
	for (const [, name] of r.path.matchAll(/:(\w+)/g)) {
		parameters.push({ name, in: 'path', required: true, schema: r.params?.[name] ? jsonSchemaOf(r.params[name]) : { type: 'string' } });
	}
	if (r.query) {
		const q = jsonSchemaOf(r.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
		for (const [name, schema] of Object.entries(q.properties ?? {})) {
			parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
		}
	}
	const op: Operation = {
		operationId: operationId(r),
		summary: r.summary,
		tags: [r.tag],
		description: permission(r.auth),
		security: r.auth === 'public' ? [] : [{ session: [] }, { bearer: [] }],
		parameters,
		responses: Object.fromEntries(
			Object.entries(r.responses).map(([status, d]) => {
				const doc = typeof d === 'string' ? { description: d } : d;
				const content = doc.schema
					? { [doc.contentType ?? 'application/json']: { schema: jsonSchemaOf(doc.schema) } }
					: doc.contentType
						? { [doc.contentType]: {} }
						: Number(status) >= 400
							? { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } }
							: undefined;
				return [status, { description: doc.description, ...(content ? { content } : {}) }];
			})
		)
	};
	if (r.body) {
		op.requestBody = {
			required: true,
			content: {
				[r.body.contentType ?? 'application/json']: { schema: jsonSchemaOf(r.body.schema), example: r.body.example },
				...Object.fromEntries(Object.entries(r.body.also ?? {}).map(([type, c]) => [type, { schema: jsonSchemaOf(c.schema), example: c.example }]))
			}
		};
	}
	return op;
}

function permission(auth: RouteDoc['auth']): string {
	switch (auth) {
		case 'public':
			return 'No authentication.';
		case 'session':
			return 'A signed-in person (session cookie).';
		case 'metrics':
			return 'A bearer token of scope `metrics` (or an admin), or a scraper on the same machine.';
		default:
			return `Needs permission \`${auth}\` (session cookie or bearer token; see the README for which roles and token scopes have it).`;
	}
}

/** The OpenAPI 3.1 document of every route in ROUTES. */
export function buildOpenApi(routes: RouteDoc[] = ROUTES, version = '0.1.0'): OpenApiDocument {
	const paths: OpenApiDocument['paths'] = {};
	for (const r of routes) (paths[openApiPath(r.path)] ??= {})[r.method] = operation(r);
	return {
		openapi: '3.1.0',
		info: {
			title: 'Promiseboard API',
			version,
			description: 'Inventory events in, availability, promises, alerts and commitments out. Contract: CONTRACT.md; extensions: README.md. Live events (alert, position, commitment) travel over Socket.IO at /socket.io, board documents over the y-websocket protocol at /yjs/{boardId}.'
		},
		servers: [{ url: '/' }],
		tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
		components: {
			securitySchemes: {
				session: { type: 'apiKey', in: 'cookie', name: 'pb_session', description: 'Set by POST /api/session. Writes also need an Origin of this host.' },
				bearer: { type: 'http', scheme: 'bearer', description: 'An API token (scopes ingest, read, display, metrics) created by an admin, or INGEST_TOKEN.' }
			},
			schemas: { ApiError: API_ERROR }
		},
		paths
	};
}

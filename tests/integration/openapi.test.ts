import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../server/http/app.ts';
import { openApiPath, type OpenApiDocument } from '../../server/http/openapi/openapi.document.ts';
import { ROUTES } from '../../server/http/openapi/openapi.routes.ts';
import { createLogger } from '../../server/logger.ts';
import { Metrics } from '../../server/metrics/metrics.registry.ts';
import { expressRoutes } from '../support/express-routes.ts';
import { startTestNode, type TestNode } from '../support/node.ts';

let node: TestNode;
let doc: OpenApiDocument;

beforeAll(async () => {
	node = await startTestNode('openapi');
	const res = await fetch(`${node.url}/api/openapi.json`);
	expect(res.status).toBe(200);
	doc = (await res.json()) as OpenApiDocument;
});
afterAll(async () => {
	await node?.stop();
});

describe('GET /api/openapi.json', () => {
	it('is a valid OpenAPI 3.1 document', async () => {
		const validator = new Validator();
		const result = await validator.validate(doc);
		expect(result.errors ?? []).toEqual([]);
		expect(result.valid).toBe(true);
		expect(validator.version).toBe('3.1');
		// Self-contained: every schema is inline or under components, no $defs left to resolve.
		expect(JSON.stringify(doc)).not.toContain('$defs');
	});

	it('documents every route Express serves, and nothing it does not', async () => {
		const redis = new Redis(node.config.redisUrl, { lazyConnect: true });
		const app = createHttpApp({ config: node.config, services: node.services, sql: node.sql, redis, log: createLogger('silent'), metrics: new Metrics() });
		const served = expressRoutes(app).map((r) => `${r.method.toUpperCase()} ${openApiPath(r.path)}`);
		redis.disconnect();
		expect(served.length).toBeGreaterThan(40);
		const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
		const missing = served.filter((r) => !documented.includes(r));
		expect(missing, 'routes without a document entry').toEqual([]);
		expect(documented.filter((r) => !served.includes(r)), 'document entries Express does not serve').toEqual([]);
		expect(served.filter((r) => r.includes('/api/')).length).toBeGreaterThan(40);
	});

	it('has examples that pass both the zod schema the route parses with and the document schema', () => {
		const ajv = new Ajv2020({ strict: false, allErrors: true });
		addFormats(ajv);
		let checked = 0;
		for (const r of ROUTES) {
			if (!r.body) continue;
			const label = `${r.method.toUpperCase()} ${r.path}`;
			const zod = r.body.schema.safeParse(r.body.example);
			expect(zod.success, `${label}: ${JSON.stringify(zod.error?.issues)}`).toBe(true);
			const content = doc.paths[openApiPath(r.path)][r.method].requestBody!.content;
			for (const [type, { schema, example }] of Object.entries(content)) {
				const validate = ajv.compile(schema);
				expect(validate(example), `${label} ${type}: ${ajv.errorsText(validate.errors)}`).toBe(true);
				checked++;
			}
		}
		expect(checked).toBe(ROUTES.reduce((n, r) => n + (r.body ? 1 + Object.keys(r.body.also ?? {}).length : 0), 0));
		expect(checked).toBeGreaterThan(15);
		// And a wrong example would be caught: the check is not vacuous.
		const webhook = doc.paths['/api/admin/webhooks'].post.requestBody!.content['application/json'].schema;
		expect(ajv.compile(webhook)({ url: 'https://x.example/', format: 'xml', minSeverity: 'high' })).toBe(false);
	});

	it('names query parameters and required path parameters from the schemas', () => {
		const alerts = doc.paths['/api/alerts'].get.parameters;
		expect(alerts.map((p) => p.name)).toEqual(['status', 'severity', 'kind', 'site', 'limit']);
		expect(alerts.find((p) => p.name === 'severity')?.schema).toMatchObject({ enum: ['critical', 'high', 'medium', 'low'] });
		expect(doc.paths['/api/availability'].get.parameters.filter((p) => p.required).map((p) => p.name)).toEqual(['sku', 'site']);
		expect(doc.paths['/api/skus/{sku}/lifecycle'].post.parameters).toContainEqual(expect.objectContaining({ name: 'sku', in: 'path', required: true }));
	});
});

describe('GET /api/docs', () => {
	it('serves a self-hosted reference page under its own strict CSP', async () => {
		const res = await fetch(`${node.url}/api/docs`);
		expect(res.status).toBe(200);
		const csp = res.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("script-src 'self'");
		expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|https?:/);
		const html = await res.text();
		expect(html).not.toMatch(/<script>|https?:\/\//);
		for (const src of html.match(/\/api\/docs\/assets\/[\w.-]+/g) ?? []) expect((await fetch(`${node.url}${src}`)).status, src).toBe(200);
		expect((await fetch(`${node.url}/api/docs/assets/package.json`)).status).toBe(404);
		// Other API answers keep the deny-all policy.
		expect((await fetch(`${node.url}/api/openapi.json`)).headers.get('content-security-policy')).toContain("default-src 'none'");
	});
});

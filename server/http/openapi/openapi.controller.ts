import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Router } from 'express';
import { buildOpenApi, type OpenApiDocument } from './openapi.document.ts';

const require = createRequire(import.meta.url);
// swagger-ui-dist ships the built renderer; we serve three of its files ourselves (no CDN).
const SWAGGER_DIR = join(require.resolve('swagger-ui-dist/package.json'), '..');
const ASSETS: Record<string, string> = {
	'swagger-ui.css': join(SWAGGER_DIR, 'swagger-ui.css'),
	'swagger-ui-bundle.js': join(SWAGGER_DIR, 'swagger-ui-bundle.js'),
	'favicon-32x32.png': join(SWAGGER_DIR, 'favicon-32x32.png')
};

/**
 * The page's own policy instead of the API's deny-all: scripts and styles from this origin only, no
 * inline script or style at all (the initialiser is a file too; Swagger UI styles elements through
 * the CSSOM, which CSP allows). `connect-src 'self'` lets "Try it out" call this API.
 */
const DOCS_CSP = [
	"default-src 'none'",
	"script-src 'self'",
	"style-src 'self'",
	"img-src 'self' data:",
	"font-src 'self'",
	"connect-src 'self'",
	"base-uri 'none'",
	"form-action 'none'",
	"frame-ancestors 'none'"
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Promiseboard API reference</title>
<link rel="icon" href="/api/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, tryItOutEnabled: false, withCredentials: true });\n`;

/** `GET /api/openapi.json` and the interactive reference at `/api/docs`. Public: they describe, they grant nothing. */
export function openApiRoutes(version?: string): Router {
	const r = Router();
	let doc: OpenApiDocument | null = null;
	r.get('/api/openapi.json', (_req, res) => {
		doc ??= buildOpenApi(undefined, version);
		res.setHeader('cache-control', 'no-cache');
		res.json(doc);
	});
	r.get('/api/docs', (_req, res) => {
		res.setHeader('content-security-policy', DOCS_CSP);
		res.type('html').send(PAGE);
	});
	r.get('/api/docs/assets/:file', (req, res) => {
		if (req.params.file === 'init.js') return void res.type('js').send(INIT);
		const file = ASSETS[req.params.file];
		if (!file) return void res.status(404).json({ error: 'no such asset' });
		res.setHeader('cache-control', 'public, max-age=86400');
		res.sendFile(file);
	});
	return r;
}

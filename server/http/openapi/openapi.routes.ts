import { z } from 'zod';
import {
	auditQuerySchema,
	createBoardSchema,
	createTokenSchema,
	updateBoardSchema,
	createUserSchema,
	listQuerySchema,
	skuSiteParamsSchema,
	updateSiteSchema,
	updateSkuSchema,
	updateUserSchema
} from '../../../src/lib/contract/admin.ts';
import { availabilityQuerySchema, sessionRequestSchema } from '../../../src/lib/contract/api.ts';
import { boardIdSchema, createCommitmentSchema, listCommitmentsQuerySchema, patchCommitmentSchema, promiseCheckSchema } from '../../../src/lib/contract/commitments.ts';
import { EXPORT_LISTS, IMPORT_KINDS } from '../../../src/lib/contract/import.ts';
import { createWebhookSchema, deliveriesQuerySchema } from '../../../src/lib/contract/integrations.ts';
import { applyOptionSchema, laneBodySchema, replanApplySchema, replanQuerySchema, requestOptionSchema } from '../../../src/lib/contract/options.ts';
import { inventoryEventSchema } from '../../../src/lib/contract/inventory-event.ts';
import { alertListQuerySchema, handoffListQuerySchema, handoffWriteSchema, notificationPrefsSchema } from '../../../src/lib/contract/notifications.ts';
import {
	activityQuerySchema,
	createSignalSchema,
	kpiQuerySchema,
	lifecycleChangeSchema,
	listSignalsQuerySchema,
	skuListQuerySchema,
	updateSignalSchema
} from '../../../src/lib/contract/signals.ts';
import type { Action } from '../../../src/lib/policy/access.policy.ts';
import { positionsQuerySchema } from '../availability.controller.ts';

/**
 * Every HTTP route of the API, with the very zod schemas its controller or service parses with: the
 * OpenAPI document is generated from this list (openapi.document.ts), and a test fails when Express
 * serves a route this list lacks, or an example here does not pass its schema.
 */
export interface RouteDoc {
	method: 'get' | 'post' | 'put' | 'patch' | 'delete';
	/** Express syntax (`/api/skus/:sku`). */
	path: string;
	summary: string;
	tag: string;
	/** What the caller must be allowed (access.policy), `public`, or a note on who may call. */
	auth: Action | 'public' | 'session' | 'metrics';
	params?: Record<string, z.ZodType>;
	query?: z.ZodObject;
	body?: { schema: z.ZodType; contentType?: string; example: unknown; also?: Record<string, { schema: z.ZodType; example: unknown }> };
	/** Status → description (and a schema where the answer has one). */
	responses: Record<number, string | { description: string; schema?: z.ZodType; contentType?: string }>;
}

const code = z.string().min(1).max(64);
const id = z.string().uuid();
const TODAY = '2026-12-03';

const webhookExample = { url: 'https://hooks.slack.com/services/T000/B000/XXXX', format: 'slack', minSeverity: 'high', kinds: ['commitment_short', 'late_inbound'], sites: ['WH1'] };

export const ROUTES: RouteDoc[] = [
	// Health and operations ------------------------------------------------------------------
	{ method: 'get', path: '/healthz', summary: 'Liveness: 200 while the process runs', tag: 'operations', auth: 'public', responses: { 200: 'running' } },
	{ method: 'get', path: '/readyz', summary: 'Readiness: Postgres and Redis answer (503 names the failing part)', tag: 'operations', auth: 'public', responses: { 200: 'ready', 503: 'a dependency is down' } },
	{ method: 'get', path: '/metrics', summary: 'Prometheus metrics (text format 0.0.4)', tag: 'operations', auth: 'metrics', responses: { 200: { description: 'the exposition', contentType: 'text/plain' }, 401: 'no token', 403: 'token without metrics scope' } },
	{ method: 'get', path: '/api/openapi.json', summary: 'This document', tag: 'operations', auth: 'public', responses: { 200: 'OpenAPI 3.1' } },
	{ method: 'get', path: '/api/docs', summary: 'Interactive API reference (HTML)', tag: 'operations', auth: 'public', responses: { 200: { description: 'the page', contentType: 'text/html' } } },
	{ method: 'get', path: '/api/docs/assets/:file', summary: 'Assets of the API reference page (self-hosted Swagger UI)', tag: 'operations', auth: 'public', params: { file: z.string() }, responses: { 200: 'the file', 404: 'no such asset' } },

	// Session --------------------------------------------------------------------------------
	{ method: 'post', path: '/api/session', summary: 'Sign in: sets the HttpOnly session cookie', tag: 'session', auth: 'public', body: { schema: sessionRequestSchema, example: { email: 'ops@demo.local', password: 'demo' } }, responses: { 200: 'signed in', 401: 'wrong e-mail or password', 429: 'too many attempts' } },
	{ method: 'get', path: '/api/session', summary: 'The signed-in user', tag: 'session', auth: 'session', responses: { 200: 'the user', 401: 'not signed in' } },
	{ method: 'delete', path: '/api/session', summary: 'Sign out', tag: 'session', auth: 'public', responses: { 204: 'signed out' } },

	// Inventory ------------------------------------------------------------------------------
	{
		method: 'post', path: '/api/events', summary: 'Ingest inventory events: a JSON array, one object, or NDJSON; atomic per request', tag: 'inventory', auth: 'events:ingest',
		body: { schema: z.union([inventoryEventSchema, z.array(inventoryEventSchema).max(10_000)]), example: [{ id: 'erp-4711', type: 'receipt', sku: 'SKU-1', site: 'WH1', qty: 40, at: '2026-12-03T08:00:00Z', po: 'PO-1' }, { id: 'erp-4712', type: 'po', sku: 'SKU-1', site: 'WH1', qty: 100, po: 'PO-2', eta: '2026-12-20', at: '2026-12-03T08:05:00Z' }],
			also: { 'application/x-ndjson': { schema: z.string(), example: '{"id":"erp-4713","type":"shipment","sku":"SKU-1","site":"WH1","qty":5,"at":"2026-12-03T09:00:00Z"}\n' } } },
		responses: { 202: '{accepted, duplicates}', 400: 'invalid events: nothing stored', 413: 'over 10,000 events or 10 MB', 415: 'not JSON or NDJSON' }
	},
	{ method: 'get', path: '/api/availability', summary: 'Time-phased availability and ATP of a SKU at a site', tag: 'inventory', auth: 'positions:read', query: availabilityQuerySchema, responses: { 200: 'the availability', 404: 'unknown SKU or site' } },
	{ method: 'post', path: '/api/promise-check', summary: 'Can qty be promised by date? Earliest date and other sites otherwise', tag: 'inventory', auth: 'positions:read', body: { schema: promiseCheckSchema, example: { sku: 'SKU-1', qty: 40, date: '2026-12-14', site: 'WH1' } }, responses: { 200: 'the verdict' } },
	{ method: 'get', path: '/api/positions', summary: 'Positions with SKU names', tag: 'inventory', auth: 'positions:read', query: positionsQuerySchema, responses: { 200: 'positions' } },

	// Alerts, notifications, handoff, walls --------------------------------------------------
	{ method: 'get', path: '/api/alerts', summary: 'Alerts the caller may see, most severe first', tag: 'alerts', auth: 'alerts:read', query: alertListQuerySchema, responses: { 200: 'alerts' } },
	{ method: 'post', path: '/api/alerts/:id/ack', summary: 'Acknowledge an open alert', tag: 'alerts', auth: 'alerts:ack', params: { id }, responses: { 200: 'the alert', 404: 'no such alert', 409: 'not open' } },
	{ method: 'get', path: '/api/me/notifications', summary: "The signed-in person's toast preferences", tag: 'alerts', auth: 'alerts:read', responses: { 200: 'preferences and where to replay from' } },
	{ method: 'put', path: '/api/me/notifications', summary: 'Save toast preferences', tag: 'alerts', auth: 'alerts:read', body: { schema: notificationPrefsSchema, example: { enabled: true, role: 'ops', sites: ['WH1'], minSeverity: 'high' } }, responses: { 200: { description: 'the saved preferences', schema: notificationPrefsSchema } } },
	{ method: 'get', path: '/api/handoff', summary: 'Shift handoff notes, newest first', tag: 'alerts', auth: 'alerts:read', query: handoffListQuerySchema, responses: { 200: 'notes' } },
	{ method: 'put', path: '/api/handoff/:site', summary: "Write a site's handoff note for a shift (the current one by default)", tag: 'alerts', auth: 'handoff:write', params: { site: code }, body: { schema: handoffWriteSchema, example: { body: 'Dock 3 door is stuck; use dock 4.' } }, responses: { 200: 'the note', 404: 'no such site' } },
	{ method: 'get', path: '/api/wall/:boardId', summary: 'The wall-screen snapshot of a board', tag: 'alerts', auth: 'alerts:read', params: { boardId: boardIdSchema }, responses: { 200: 'the snapshot' } },

	// Commitments ----------------------------------------------------------------------------
	{ method: 'get', path: '/api/commitments', summary: 'Commitments with their risk', tag: 'commitments', auth: 'commitments:read', query: listCommitmentsQuerySchema, responses: { 200: 'commitments' } },
	{ method: 'post', path: '/api/commitments', summary: 'Create a commitment (lands in the board document)', tag: 'commitments', auth: 'commitments:write', body: { schema: createCommitmentSchema, example: { customer: 'Acme', sku: 'SKU-1', qty: 40, requestedDate: '2026-12-14' } }, responses: { 201: 'the commitment', 403: 'a field your role may not set' } },
	{ method: 'patch', path: '/api/commitments/:id', summary: 'Change fields of a commitment (field ownership applies)', tag: 'commitments', auth: 'commitments:write', params: { id: code }, body: { schema: patchCommitmentSchema, example: { qty: 35 } }, responses: { 200: 'the commitment', 403: 'a field your role may not change', 404: 'no such commitment' } },
	{ method: 'get', path: '/api/commitments/:id/options', summary: 'Ranked ways to keep a short or at-risk commitment, each with its effect on the others', tag: 'commitments', auth: 'commitments:read', params: { id: code }, responses: { 200: '{commitmentId, risk, options}' } },
	{ method: 'post', path: '/api/commitments/:id/options/:optionId/apply', summary: 'Apply an option under field ownership', tag: 'commitments', auth: 'commitments:write', params: { id: code, optionId: code }, body: { schema: applyOptionSchema, example: { note: 'agreed with the customer' } }, responses: { 200: 'the changed commitments', 403: 'names the fields the role may not set', 409: 'the situation changed since the option was computed' } },
	{ method: 'post', path: '/api/commitments/:id/options/:optionId/request', summary: 'Ask ops to apply an option (a note and a mark on the card)', tag: 'commitments', auth: 'commitments:write', params: { id: code, optionId: code }, body: { schema: requestOptionSchema, example: { note: 'customer accepts a split' } }, responses: { 200: 'the commitment', 409: 'the situation changed' } },
	{ method: 'get', path: '/api/replan', summary: 'Re-plan a SKU×site: every open commitment before and after', tag: 'commitments', auth: 'commitments:read', query: replanQuerySchema, responses: { 200: '{before, after}' } },
	{ method: 'post', path: '/api/replan', summary: 'Apply a re-plan as shown (ops, admin)', tag: 'commitments', auth: 'commitments:write', body: { schema: replanApplySchema, example: { sku: 'SKU-1', site: 'WH1', expect: [{ commitmentId: 'c-1', promisedDate: TODAY }] } }, responses: { 200: 'the changed commitments', 409: 'expect no longer matches' } },
	{ method: 'get', path: '/api/lanes', summary: 'Transit days between sites', tag: 'catalog', auth: 'positions:read', responses: { 200: 'lanes' } },
	{ method: 'put', path: '/api/admin/lanes/:from/:to', summary: 'Set the transit days of a lane', tag: 'admin', auth: 'catalog:manage', params: { from: code, to: code }, body: { schema: laneBodySchema, example: { transitDays: 2 } }, responses: { 200: 'the lane' } },
	{ method: 'delete', path: '/api/admin/lanes/:from/:to', summary: 'Remove a lane', tag: 'admin', auth: 'catalog:manage', params: { from: code, to: code }, responses: { 204: 'removed' } },
	{ method: 'get', path: '/api/commitments/:id/history', summary: 'Who changed what on a card, newest first', tag: 'commitments', auth: 'commitments:read', params: { id: code }, responses: { 200: 'history' } },

	// SKUs, signals, KPIs, activity ------------------------------------------------------------
	{ method: 'get', path: '/api/skus', summary: 'SKU list with filters and sorting', tag: 'skus', auth: 'positions:read', query: skuListQuerySchema, responses: { 200: 'SKUs' } },
	{ method: 'get', path: '/api/skus/:sku', summary: 'A SKU at every visible site', tag: 'skus', auth: 'positions:read', params: { sku: code }, query: z.object({ forecast: z.enum(['0', '1']).optional() }), responses: { 200: 'the SKU', 404: 'no such SKU' } },
	{ method: 'post', path: '/api/skus/:sku/lifecycle', summary: 'Move a SKU to another lifecycle stage', tag: 'skus', auth: 'lifecycle:write', params: { sku: code }, body: { schema: lifecycleChangeSchema, example: { stage: 'decline', reason: 'Successor model ships in March' } }, responses: { 200: 'the change' } },
	{ method: 'get', path: '/api/signals', summary: 'Demand signals', tag: 'skus', auth: 'positions:read', query: listSignalsQuerySchema, responses: { 200: 'signals' } },
	{ method: 'post', path: '/api/signals', summary: 'Record a demand signal', tag: 'skus', auth: 'signals:write', body: { schema: createSignalSchema, example: { sku: 'SKU-1', site: 'WH1', kind: 'volume', customer: 'Acme', qty: 20, per: 'week', startDate: TODAY } }, responses: { 201: 'the signal' } },
	{ method: 'patch', path: '/api/signals/:id', summary: 'Edit a demand signal', tag: 'skus', auth: 'signals:write', params: { id }, body: { schema: updateSignalSchema, example: { kind: 'promotion', qty: 300, per: 'total', startDate: TODAY, endDate: '2026-12-24', note: 'Christmas promotion' } }, responses: { 200: 'the signal' } },
	{ method: 'post', path: '/api/signals/:id/withdraw', summary: 'Withdraw a demand signal', tag: 'skus', auth: 'signals:write', params: { id }, responses: { 200: 'the signal' } },
	{ method: 'get', path: '/api/kpis', summary: 'KPIs today and their daily history', tag: 'skus', auth: 'positions:read', query: kpiQuerySchema, responses: { 200: 'KPIs' } },
	{ method: 'get', path: '/api/activity', summary: 'Activity of a SKU or site', tag: 'skus', auth: 'positions:read', query: activityQuerySchema, responses: { 200: 'entries' } },

	// Import and export -----------------------------------------------------------------------
	{
		method: 'post', path: '/api/import/:kind', summary: 'CSV import, checked whole and written all or nothing', tag: 'import', auth: 'import',
		params: { kind: z.enum(IMPORT_KINDS) }, query: z.object({ dryRun: z.enum(['0', '1', 'true', 'false']).optional() }),
		body: { schema: z.string(), contentType: 'text/csv', example: 'code,name,time_zone\nWH1,Main warehouse,Europe/Berlin\n' },
		responses: { 200: 'the report', 400: 'bad rows, each named; nothing written', 415: 'not text/csv' }
	},
	{ method: 'get', path: '/api/export/:list', summary: 'CSV export (the import columns; `.csv` suffix optional)', tag: 'import', auth: 'positions:read', params: { list: z.string().regex(new RegExp(`^(${EXPORT_LISTS.join('|')})(\\.csv)?$`)) }, responses: { 200: { description: 'the file', contentType: 'text/csv' } } },

	// Admin ------------------------------------------------------------------------------------
	{ method: 'get', path: '/api/admin/users', summary: 'Users', tag: 'admin', auth: 'users:manage', responses: { 200: 'users' } },
	{ method: 'post', path: '/api/admin/users', summary: 'Create a user (a generated password is answered once)', tag: 'admin', auth: 'users:manage', body: { schema: createUserSchema, example: { email: 'new.planner@example.com', name: 'New Planner', role: 'ops', sites: ['WH1'] } }, responses: { 201: 'the user', 409: 'e-mail taken' } },
	{ method: 'patch', path: '/api/admin/users/:id', summary: 'Change a user (ends their sessions when access changes)', tag: 'admin', auth: 'users:manage', params: { id }, body: { schema: updateUserSchema, example: { role: 'viewer' } }, responses: { 200: 'the user' } },
	{ method: 'post', path: '/api/admin/users/:id/password', summary: 'Reset a password (answered once)', tag: 'admin', auth: 'users:manage', params: { id }, responses: { 200: '{password}' } },
	{ method: 'get', path: '/api/admin/tokens', summary: 'API and display tokens', tag: 'admin', auth: 'tokens:manage', responses: { 200: 'tokens' } },
	{ method: 'post', path: '/api/admin/tokens', summary: 'Create a token (answered once)', tag: 'admin', auth: 'tokens:manage', body: { schema: createTokenSchema, example: { name: 'Prometheus', scope: 'metrics' } }, responses: { 201: 'the token' } },
	{ method: 'delete', path: '/api/admin/tokens/:id', summary: 'Revoke a token', tag: 'admin', auth: 'tokens:manage', params: { id }, responses: { 204: 'revoked' } },
	{ method: 'get', path: '/api/admin/boards', summary: 'Boards and their site scope', tag: 'admin', auth: 'boards:manage', responses: { 200: 'boards' } },
	{ method: 'post', path: '/api/admin/boards', summary: 'Create a board with a site scope (null: every site)', tag: 'admin', auth: 'boards:manage', body: { schema: createBoardSchema, example: { id: 'west', name: 'West coast', sites: ['WEST'] } }, responses: { 201: 'the board', 409: 'the id is taken' } },
	{ method: 'patch', path: '/api/admin/boards/:id', summary: 'Rename a board or change its scope (people it no longer admits are disconnected)', tag: 'admin', auth: 'boards:manage', params: { id }, body: { schema: updateBoardSchema, example: { sites: ['WEST', 'EAST'] } }, responses: { 200: 'the board', 404: 'no such board' } },
	{ method: 'get', path: '/api/admin/sites', summary: 'Sites', tag: 'admin', auth: 'catalog:manage', responses: { 200: 'sites' } },
	{ method: 'patch', path: '/api/admin/sites/:code', summary: 'Rename a site or change its time zone', tag: 'admin', auth: 'catalog:manage', params: { code }, body: { schema: updateSiteSchema, example: { timeZone: 'Europe/Berlin' } }, responses: { 200: 'the site' } },
	{ method: 'get', path: '/api/admin/skus', summary: 'SKUs with per-site parameters', tag: 'admin', auth: 'catalog:manage', query: listQuerySchema, responses: { 200: 'SKUs' } },
	{ method: 'patch', path: '/api/admin/skus/:code', summary: 'Change a SKU', tag: 'admin', auth: 'catalog:manage', params: { code }, body: { schema: updateSkuSchema, example: { leadTimeDays: 21 } }, responses: { 204: 'changed' } },
	{ method: 'put', path: '/api/admin/skus/:code/sites/:site', summary: 'Safety stock and reorder point of a SKU at a site', tag: 'admin', auth: 'catalog:manage', params: { code, site: code }, body: { schema: skuSiteParamsSchema, example: { safetyStock: 20, reorderPoint: 50 } }, responses: { 204: 'set' } },
	{ method: 'get', path: '/api/admin/audit', summary: 'Audit log, newest first', tag: 'admin', auth: 'audit:read', query: auditQuerySchema, responses: { 200: 'entries' } },
	{ method: 'get', path: '/api/admin/webhooks', summary: 'Alert webhooks (secrets are never answered)', tag: 'webhooks', auth: 'webhooks:manage', responses: { 200: 'webhooks' } },
	{ method: 'post', path: '/api/admin/webhooks', summary: 'Create an alert webhook; the signing secret is answered once', tag: 'webhooks', auth: 'webhooks:manage', body: { schema: createWebhookSchema, example: webhookExample }, responses: { 201: 'the webhook with its secret', 400: 'invalid, or the URL is refused (loopback, link-local, this server)' } },
	{ method: 'delete', path: '/api/admin/webhooks/:id', summary: 'Delete a webhook and its delivery log', tag: 'webhooks', auth: 'webhooks:manage', params: { id }, responses: { 204: 'deleted', 404: 'no such webhook' } },
	{ method: 'get', path: '/api/admin/webhooks/:id/deliveries', summary: 'Delivery log: each delivery with every attempt (status, response time, error)', tag: 'webhooks', auth: 'webhooks:manage', params: { id }, query: deliveriesQuerySchema, responses: { 200: 'deliveries', 404: 'no such webhook' } },
	{ method: 'post', path: '/api/admin/webhooks/:id/resume', summary: 'Resume a paused webhook; what was held is sent', tag: 'webhooks', auth: 'webhooks:manage', params: { id }, responses: { 200: 'the webhook', 404: 'no such webhook' } }
];

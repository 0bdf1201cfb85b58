import { randomBytes } from 'node:crypto';
import { createWebhookSchema, deliveriesQuerySchema, type CreatedWebhook, type Webhook, type WebhookDelivery } from '../../src/lib/contract/integrations.ts';
import { can, principalLabel, type Principal } from '../../src/lib/policy/access.policy.ts';
import { parse } from './validate.ts';
import type { AuditRepository } from '../repositories/audit.repository.ts';
import type { WebhookRow, WebhooksRepository } from '../repositories/webhooks.repository.ts';
import type { WebhookProducer } from './jobs.port.ts';
import { RefusedUrlError, resolveTarget } from '../webhooks/webhook.url-guard.ts';
import { UUID } from './auth.service.ts';
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from './errors.ts';

export interface WebhooksDeps {
	webhooks: WebhooksRepository;
	audit: AuditRepository;
	/** Resuming a hook enqueues its held deliveries at once; without a queue the dispatcher's sweep does, later. */
	queue: WebhookProducer | null;
	allowHosts: readonly string[];
}

/** Admin side of alert webhooks: create, list, delete, read the delivery log, resume a paused hook. */
export class WebhooksService {
	constructor(private readonly d: WebhooksDeps) {}

	async list(actor: Principal | null): Promise<Webhook[]> {
		allow(actor);
		return (await this.d.webhooks.list()).map(publicView);
	}

	/** The URL is checked now (a typo or a forbidden address fails here) and again on every delivery. */
	async create(actor: Principal | null, body: unknown): Promise<CreatedWebhook> {
		const who = allow(actor);
		const input = parse(createWebhookSchema, body ?? {}, 'webhook');
		try {
			await resolveTarget(new URL(input.url), this.d.allowHosts);
		} catch (err) {
			if (err instanceof RefusedUrlError) throw new BadRequestError(`url refused: ${err.message}`, [{ path: 'url', message: err.message }]);
			throw err;
		}
		const secret = input.secret ?? randomBytes(24).toString('base64url');
		const row = await this.d.webhooks.create({
			url: input.url,
			format: input.format,
			minSeverity: input.minSeverity,
			kinds: input.kinds?.length ? [...new Set(input.kinds)] : null,
			sites: input.sites?.length ? [...new Set(input.sites)].sort() : null,
			secret,
			createdBy: who
		});
		await this.d.audit.record(who, 'webhook.created', { id: row.id, url: row.url, format: row.format });
		return { ...publicView(row), secret };
	}

	async remove(actor: Principal | null, id: string): Promise<void> {
		const who = allow(actor);
		const gone = UUID.test(id) ? await this.d.webhooks.delete(id) : null;
		if (!gone) throw new NotFoundError('no such webhook');
		await this.d.audit.record(who, 'webhook.deleted', { id, url: gone.url });
	}

	async deliveries(actor: Principal | null, id: string, query: unknown): Promise<WebhookDelivery[]> {
		allow(actor);
		const { limit } = parse(deliveriesQuerySchema, query ?? {}, 'query');
		if (!UUID.test(id) || !(await this.d.webhooks.get(id))) throw new NotFoundError('no such webhook');
		return this.d.webhooks.deliveries(id, limit);
	}

	/** Clears the pause; what was held while paused is sent now, oldest first. */
	async resume(actor: Principal | null, id: string): Promise<Webhook> {
		const who = allow(actor);
		const held = UUID.test(id) ? await this.d.webhooks.resume(id) : null;
		if (!held) throw new NotFoundError('no such webhook');
		await this.d.queue?.enqueue(held);
		await this.d.audit.record(who, 'webhook.resumed', { id, held: held.length });
		return publicView((await this.d.webhooks.get(id))!);
	}
}

function allow(actor: Principal | null): string {
	if (!actor) throw new UnauthorizedError();
	if (!can(actor, 'webhooks:manage')) throw new ForbiddenError('only admins manage webhooks');
	return principalLabel(actor);
}

/** The secret never leaves after creation. */
function publicView(row: WebhookRow): Webhook {
	const { secret: _secret, ...hook } = row;
	return hook;
}

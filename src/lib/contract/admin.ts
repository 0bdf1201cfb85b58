// Bodies and answers of the admin API (/api/admin/*), shared by the admin pages and the server.
import { z } from 'zod';
import { boardIdSchema } from './commitments.ts';
import { LIFECYCLE_STAGES, ROLES, type Role, type SkuFields } from './domain.ts';

const code = z.string().trim().min(1).max(64);
const name = z.string().trim().min(1).max(120);
/** Null or an empty list: the user follows every site. */
const sites = z.array(code).max(500).nullable();

export const MIN_PASSWORD_LENGTH = 10;

export const createUserSchema = z
	.object({
		email: z.email().max(254),
		name,
		role: z.enum(ROLES),
		sites: sites.optional(),
		/** Omitted: the server generates one and answers it once. */
		password: z.string().min(MIN_PASSWORD_LENGTH).max(256).optional()
	})
	.strict();

export const updateUserSchema = z
	.object({ name: name.optional(), role: z.enum(ROLES).optional(), sites: sites.optional(), disabled: z.boolean().optional() })
	.strict();

/** A display token belongs to one board (`board` required, and only for display); other scopes to none. */
export const createTokenSchema = z
	.object({ name, scope: z.enum(['ingest', 'read', 'display', 'metrics']), board: boardIdSchema.optional() })
	.strict()
	.superRefine((t, ctx) => {
		if (t.scope === 'display' && !t.board) ctx.addIssue({ code: 'custom', path: ['board'], message: 'a display token needs the board it shows' });
		if (t.scope !== 'display' && t.board) ctx.addIssue({ code: 'custom', path: ['board'], message: 'only display tokens belong to a board' });
	});

/** Null: the board covers every site (only people who follow every site may open it). */
const boardSites = z.array(code).min(1).max(500).nullable();

/** `POST /api/admin/boards`. */
export const createBoardSchema = z.object({ id: boardIdSchema, name, sites: boardSites }).strict();

/** `PATCH /api/admin/boards/:id`: the fields to change. */
export const updateBoardSchema = z
	.object({ name: name.optional(), sites: boardSites.optional() })
	.strict()
	.refine((v) => Object.keys(v).length > 0, 'send name or sites');

/** IANA zone names only; Intl knows them on both sides. */
export const timeZoneSchema = z
	.string()
	.min(1)
	.max(64)
	.refine((tz) => {
		try {
			new Intl.DateTimeFormat('en', { timeZone: tz });
			return true;
		} catch {
			return false;
		}
	}, 'unknown time zone');

export const updateSiteSchema = z.object({ name: name.optional(), timeZone: timeZoneSchema.optional() }).strict();

export const updateSkuSchema = z
	.object({
		name: name.optional(),
		unit: z.string().trim().min(1).max(16).optional(),
		lifecycle: z.enum(LIFECYCLE_STAGES).optional(),
		leadTimeDays: z.number().int().min(0).max(3650).nullable().optional()
	})
	.strict();

export const skuSiteParamsSchema = z
	.object({
		safetyStock: z.number().int().min(0).max(1_000_000_000),
		reorderPoint: z.number().int().min(0).max(1_000_000_000).nullable()
	})
	.strict();

export const listQuerySchema = z.object({
	q: z.string().max(100).optional(),
	limit: z.coerce.number().int().min(1).max(500).default(100),
	offset: z.coerce.number().int().min(0).max(1_000_000).default(0)
});

export const auditQuerySchema = z.object({
	limit: z.coerce.number().int().min(1).max(500).default(100),
	/** Entries older than this id (paging backwards). */
	before: z.coerce.number().int().min(1).optional()
});

export interface AdminUser {
	id: string;
	email: string;
	name: string;
	role: Role;
	disabled: boolean;
	sites: string[] | null;
	createdAt: string;
	lastSignInAt: string | null;
}

export interface AdminToken {
	id: string;
	name: string;
	scope: 'ingest' | 'read' | 'display' | 'metrics';
	/** The board a display token shows; null for other scopes. */
	board: string | null;
	createdBy: string | null;
	createdAt: string;
	revokedAt: string | null;
}

export interface AdminBoard {
	id: string;
	name: string;
	/** Null: every site. */
	sites: string[] | null;
	createdAt: string;
	updatedAt: string;
}

export interface AdminSite {
	code: string;
	name: string;
	timeZone: string;
	provisional: boolean;
}

export interface AdminSku extends SkuFields {
	sites: { site: string; safetyStock: number; reorderPoint: number | null }[];
}

export interface AuditEntry {
	id: number;
	at: string;
	actor: string | null;
	action: string;
	detail: Record<string, unknown>;
}

import { Router } from 'express';
import { sessionRequestSchema } from '../../src/lib/contract/api.ts';
import { sessionCookie } from '../auth/credentials.ts';
import { SESSION_COOKIE } from '../services/auth.service.ts';
import { BadRequestError, UnauthorizedError } from '../services/errors.ts';
import type { Services } from '../services/services.ts';

export function sessionRoutes(services: Services): Router {
	const r = Router();
	// Who is signed in is nobody's to cache, not even the browser's back/forward cache.
	r.use('/api/session', (_req, res, next) => void (res.set('Cache-Control', 'no-store'), next()));
	r.post('/api/session', async (req, res) => {
		const body = sessionRequestSchema.safeParse(req.body);
		if (!body.success) throw new BadRequestError('email and password are required', issues(body.error.issues));
		const s = await services.auth.signIn(body.data.email, body.data.password, {
			ip: req.ip ?? null,
			userAgent: req.headers['user-agent']?.slice(0, 256) ?? null
		});
		res.cookie(SESSION_COOKIE, s.cookie, {
			httpOnly: true,
			sameSite: 'lax',
			secure: req.secure,
			path: '/',
			expires: s.expiresAt
		});
		res.json({ user: s.user });
	});
	r.delete('/api/session', async (req, res) => {
		await services.auth.signOut(sessionCookie(req));
		res.clearCookie(SESSION_COOKIE, { path: '/' });
		res.status(204).end();
	});
	r.get('/api/session', (req, res) => {
		const p = req.principal;
		if (!p || p.kind !== 'user') throw new UnauthorizedError();
		res.json({ user: { id: p.userId, email: p.email, name: p.name, role: p.role, sites: p.sites } });
	});
	return r;
}

function issues(list: { path: PropertyKey[]; message: string }[]) {
	return list.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

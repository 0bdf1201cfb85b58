export const load = async ({ locals, url }) => {
	const before = url.searchParams.get('before') ?? undefined;
	return { entries: await locals.ctx.services.admin.listAudit(locals.principal, { limit: 100, before }) };
};

export const load = async ({ locals }) => {
	const { admin } = locals.ctx.services;
	const [users, sites] = await Promise.all([admin.listUsers(locals.principal), admin.listSites(locals.principal)]);
	const self = locals.principal?.kind === 'user' ? locals.principal.userId : null;
	return { users, sites: sites.map((s) => ({ code: s.code, name: s.name })), self };
};

export const load = async ({ locals }) => {
	const { boards, admin } = locals.ctx.services;
	const [list, sites] = await Promise.all([boards.list(locals.principal), admin.listSites(locals.principal)]);
	return { boards: list, sites: sites.map((s) => ({ code: s.code, name: s.name })) };
};

const PAGE = 50;

export const load = async ({ locals, url }) => {
	const { admin } = locals.ctx.services;
	const q = url.searchParams.get('q')?.slice(0, 100) ?? '';
	const offset = Math.max(0, Number(url.searchParams.get('offset')) || 0);
	const [skus, sites] = await Promise.all([
		admin.listSkus(locals.principal, { q: q || undefined, limit: PAGE + 1, offset }),
		admin.listSites(locals.principal)
	]);
	return { skus: skus.slice(0, PAGE), more: skus.length > PAGE, q, offset, page: PAGE, sites: sites.map((s) => s.code) };
};

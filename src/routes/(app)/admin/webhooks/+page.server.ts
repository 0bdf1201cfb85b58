export const load = async ({ locals }) => {
	const hooks = locals.ctx.services.webhooks;
	const list = await hooks.list(locals.principal);
	// The latest few deliveries of each hook, so a failing receiver is visible without another click.
	const deliveries = Object.fromEntries(await Promise.all(list.map(async (h) => [h.id, await hooks.deliveries(locals.principal, h.id, { limit: 10 })] as const)));
	return { hooks: list, deliveries };
};

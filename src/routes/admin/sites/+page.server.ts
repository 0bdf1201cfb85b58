export const load = async ({ locals }) => ({ sites: await locals.ctx.services.admin.listSites(locals.principal) });

export const load = async ({ locals }) => ({ tokens: await locals.ctx.services.admin.listTokens(locals.principal) });

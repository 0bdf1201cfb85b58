export const load = async ({ locals }) => {
	const { admin, boards } = locals.ctx.services;
	const [tokens, boardList] = await Promise.all([admin.listTokens(locals.principal), boards.list(locals.principal)]);
	return { tokens, boards: boardList.map((b) => ({ id: b.id, name: b.name })) };
};

import { canSeeSite } from '$lib/policy/access.policy';
import { skuListQuerySchema } from '$lib/contract/signals';
import { signedIn } from '$lib/server/signed-in';

const PAGE = 50;

/** The SKU list: search, sort and filters live in the URL, so a view can be shared and reloaded. */
export const load = async ({ locals, url }) => {
	const p = signedIn({ locals, url });
	const { services } = locals.ctx;
	const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ''));
	const parsed = skuListQuerySchema.safeParse(raw);
	const query = parsed.success ? parsed.data : skuListQuerySchema.parse({});
	const [skus, sites] = await Promise.all([
		services.skus.list(p, { ...query, limit: PAGE + 1 }),
		services.catalog.sites()
	]);
	return {
		skus: skus.slice(0, PAGE),
		more: skus.length > PAGE,
		query: { ...query, q: query.q ?? '', site: query.site ?? '', lifecycle: query.lifecycle ?? '', risk: query.risk ?? '' },
		page: PAGE,
		sites: sites.filter((s) => canSeeSite(p, s.code)).map((s) => ({ code: s.code, name: s.name }))
	};
};

import { error } from '@sveltejs/kit';
import { can, canSeeSite } from '$lib/policy/access.policy';
import { signedIn } from '$lib/server/signed-in';

/** One SKU across every site the reader follows, its signals, lifecycle and recent activity. */
export const load = async ({ locals, params, url }) => {
	const p = signedIn({ locals, url });
	const { services } = locals.ctx;
	try {
		const [detail, activity, sites] = await Promise.all([
			services.skus.detail(p, params.sku),
			services.activity.feed(p, { sku: params.sku, limit: 50 }),
			services.catalog.sites()
		]);
		return {
				detail,
			activity,
			// A signal may be about a site that has no stock of the SKU yet.
			signalSites: sites.filter((s) => canSeeSite(p, s.code) && !s.provisional).map((s) => s.code),
			may: { signals: can(p, 'signals:write'), lifecycle: can(p, 'lifecycle:write') }
		};
	} catch (err) {
		if ((err as { status?: number }).status === 404) error(404, `No SKU ${params.sku}`);
		throw err;
	}
};

import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// The Express server in server/ mounts build/handler.js; adapter-node's own server is unused.
		adapter: adapter({ out: 'build' }),
		// Cookie-authenticated writes are origin-checked by the Express layer for every route,
		// including /api, so SvelteKit's form-only check would be a partial second copy.
		csrf: { trustedOrigins: [] }
	}
};

export default config;

import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// The Express server in server/ mounts build/handler.js; adapter-node's own server is unused.
		// PB_BUILD_DIR lets parallel work trees build side by side (the server reads the same variable).
		adapter: adapter({ out: process.env.PB_BUILD_DIR ?? 'build' }),
		outDir: process.env.PB_KIT_DIR ?? '.svelte-kit',
		// Cookie-authenticated writes are origin-checked by the Express layer for every route,
		// including /api, so SvelteKit's form-only check would be a partial second copy.
		csrf: { trustedOrigins: [] },
		// 'auto': SvelteKit adds a nonce (or hash) for its own inline bootstrap to script-src. Nothing
		// else inline may run; the theme script is a static file (static/theme-init.js). 'self' in
		// connect-src covers ws(s):// to our own host (CSP3) for Socket.IO and /yjs.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Inline style attributes (Svelte, bits-ui positioning) only; no inline script.
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;

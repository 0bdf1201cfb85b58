// Applies the stored (or system) theme before first paint, so a dark page never flashes white. A
// static file, not an inline script: the CSP allows scripts from our origin and SvelteKit's nonce only.
// Mirrors THEME_STORAGE_KEY, isWallPath() and applyTheme() in src/lib/components/theme.svelte.ts.
(function () {
	try {
		var d = document.documentElement;
		var t = localStorage.getItem('promiseboard-theme');
		if (/^\/wall(\/|$)/.test(location.pathname) || t === 'dark' || (t !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches)) {
			d.classList.add('dark');
			d.style.colorScheme = 'dark';
		}
	} catch {
		/* storage blocked: the layout applies the theme once it runs */
	}
})();

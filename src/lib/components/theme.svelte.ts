import { browser } from '$app/environment';

export type Theme = 'light' | 'dark';
export const THEME_STORAGE_KEY = 'promiseboard-theme';

/** Wall screens (/wall, /wall/*) are always dark, whatever the stored preference. */
export const isWallPath = (pathname: string) => /^\/wall(\/|$)/.test(pathname);

// The no-flash script that applies the theme before first paint is static/theme-init.js (loaded by
// src/app.html): a file, not inline, so the CSP need not allow inline scripts. Keep the two in step.

function initial(): Theme {
	if (!browser) return 'light';
	try {
		const stored = localStorage.getItem(THEME_STORAGE_KEY);
		if (stored === 'light' || stored === 'dark') return stored;
	} catch {
		/* storage blocked */
	}
	return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Applies a theme to <html> (class + color-scheme for native controls). */
export function applyTheme(t: Theme): void {
	if (!browser) return;
	document.documentElement.classList.toggle('dark', t === 'dark');
	document.documentElement.style.colorScheme = t;
}

let current = $state<Theme>(initial());

/** The user's preferred theme (reactive). The root layout applies it, except on wall screens. */
export const theme = {
	get current(): Theme {
		return current;
	},
	set(t: Theme): void {
		current = t;
		try {
			localStorage.setItem(THEME_STORAGE_KEY, t);
		} catch {
			/* storage blocked: keep for this session */
		}
	},
	toggle(): void {
		this.set(current === 'dark' ? 'light' : 'dark');
	}
};

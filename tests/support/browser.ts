import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run'
];

export function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}

/** Signs in through the real sign-in page, as a person would. */
export async function signIn(page: Page, node: { url: string }, email: string, password = 'pw-for-tests', next = '/stock') {
	await page.goto(`${node.url}/login?next=${encodeURIComponent(next)}`);
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((u) => u.pathname === next.split('?')[0]);
}

import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const IO = ['node:*', 'fs', 'net', 'http', 'postgres', 'ioredis', 'bullmq', 'socket.io*', 'ws', 'express', 'cookie'];

/** One import style (README "Layout"): a relative import names the file as it is on disk. */
const EXTENSIONS = {
	regex: '^\\.\\.?/.*(?<!\\.ts|\\.svelte|\\.json|\\.css|\\.mjs)$',
	message: "a relative import names the file with its extension ('./ledger.ts', './Card.svelte'), not '.js' or none"
};

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'build-*/', '.svelte-kit-*/', 'node_modules/', 'test-results/', 'bench/results/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			'no-undef': 'off'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig }
		}
	},
	{ files: ['**/*.ts', '**/*.svelte'], rules: { 'no-restricted-imports': ['error', { patterns: [EXTENSIONS] }] } },
	// Layer boundaries (README "Layers"). One `no-restricted-imports` per folder: in a flat config a
	// later entry for the same file replaces an earlier one, so the folders below do not overlap.
	// server/layers.spec.ts proves each rule fires.
	...layer(['src/lib/core/**/*.ts', 'src/lib/contract/**/*.ts', 'src/lib/policy/**/*.ts'], 'the pure core, the policy and the contract run in the browser and on the server alike: no I/O, nothing from server/', [
		...IO,
		'$app/*',
		'$lib/server/*',
		'**/server/**'
	]),
	...layer(['server/repositories/**/*.ts'], 'repositories talk SQL and nothing else: no services, controllers, realtime or jobs', [
		...folders('services', 'http', 'realtime', 'jobs', 'webhooks', 'auth', 'demo'),
		'bullmq',
		'ioredis',
		'socket.io',
		'express'
	]),
	...layer(['server/services/**/*.ts'], 'services depend on repositories and ports (jobs.port.ts), never on controllers, realtime or job implementations', [
		...folders('http', 'realtime', 'jobs', 'auth', 'demo'),
		'**/webhooks/*.queue*',
		'**/webhooks/*.worker*',
		'**/webhooks/*.dispatcher*',
		'**/webhooks/*.sender*',
		'bullmq',
		'socket.io',
		'express',
		'ws'
	]),
	...layer(['server/http/**/*.ts'], 'controllers call services; only services reach repositories', [...folders('repositories', 'realtime', 'jobs')]),
	...layer(['server/realtime/**/*.ts', 'server/auth/**/*.ts'], 'realtime and authentication do not go through the Express layer', [...folders('http')]),
	...layer(['src/routes/**/*.ts', 'src/routes/**/*.svelte'], 'pages load through services (locals.ctx.services), never repositories', [...folders('repositories', 'db'), 'postgres'])
);

/** A config entry forbidding `patterns` to `files`, with why. */
function layer(files, message, patterns) {
	return [{ files, rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }, EXTENSIONS] }] } }];
}

/** Import patterns for server folders, however the path reaches them. */
function folders(...names) {
	return names.map((f) => `**/${f}/**`);
}

import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

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
	{
		// The pure core and the shared contract run in the browser and on the server alike: no I/O.
		files: ['src/lib/core/**/*.ts', 'src/lib/contract/**/*.ts', 'src/lib/policy/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{ patterns: ['node:*', 'fs', 'net', 'http', 'postgres', 'ioredis', 'bullmq', 'socket.io*', 'ws', '$app/*', '**/server/**'] }
			]
		}
	}
);

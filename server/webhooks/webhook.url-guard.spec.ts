import { describe, expect, it } from 'vitest';
import { isForbiddenAddress, RefusedUrlError, resolveTarget, type Resolver } from './webhook.url-guard.ts';

const fixed =
	(map: Record<string, string[]>): Resolver =>
	async (host) => (map[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('isForbiddenAddress', () => {
	it('refuses loopback, unspecified, link-local and metadata addresses in both families', () => {
		for (const a of ['127.0.0.1', '127.9.9.9', '0.0.0.0', '169.254.169.254', '::1', '::', 'fe80::1', 'febf::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', 'fd00:ec2::254']) {
			expect(isForbiddenAddress(a), a).toBe(true);
		}
	});
	it('lets public addresses through', () => {
		for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '169.255.0.1', 'fec0::1']) expect(isForbiddenAddress(a), a).toBe(false);
	});
});

describe('resolveTarget', () => {
	const resolver = fixed({ 'hooks.example.com': ['93.184.216.34'], 'evil.example.com': ['93.184.216.34', '169.254.169.254'], 'localhost': ['127.0.0.1'] });

	it('answers the address to connect to', async () => {
		await expect(resolveTarget(new URL('https://hooks.example.com/x'), [], resolver)).resolves.toEqual({ address: '93.184.216.34', family: 4 });
	});
	it('refuses a name with any forbidden address, and IP literals, and says how to allow them', async () => {
		await expect(resolveTarget(new URL('https://evil.example.com/x'), [], resolver)).rejects.toThrow(/169\.254\.169\.254.*WEBHOOK_ALLOW_HOSTS/);
		await expect(resolveTarget(new URL('http://127.0.0.1:9/x'), [], resolver)).rejects.toBeInstanceOf(RefusedUrlError);
		await expect(resolveTarget(new URL('http://[::1]:9/x'), [], resolver)).rejects.toBeInstanceOf(RefusedUrlError);
		await expect(resolveTarget(new URL('http://localhost/x'), [], resolver)).rejects.toBeInstanceOf(RefusedUrlError);
	});
	it('lets an allow-listed host through, by the name written in the URL', async () => {
		await expect(resolveTarget(new URL('http://127.0.0.1:9/x'), ['127.0.0.1'], resolver)).resolves.toEqual({ address: '127.0.0.1', family: 4 });
		await expect(resolveTarget(new URL('http://localhost/x'), ['localhost'], resolver)).resolves.toMatchObject({ address: '127.0.0.1' });
		await expect(resolveTarget(new URL('http://[::1]:9/x'), ['::1'], resolver)).resolves.toEqual({ address: '::1', family: 6 });
		await expect(resolveTarget(new URL('http://localhost/x'), ['127.0.0.1'], resolver)).rejects.toBeInstanceOf(RefusedUrlError);
	});
	it('refuses names that do not resolve and schemes other than http(s)', async () => {
		await expect(resolveTarget(new URL('https://nowhere.example.com/'), [], resolver)).rejects.toThrow(/cannot resolve/);
		await expect(resolveTarget(new URL('ftp://hooks.example.com/'), [], resolver)).rejects.toThrow(/http/);
	});
});

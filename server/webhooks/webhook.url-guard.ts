import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * Where a webhook may not point (server-side request forgery): loopback, "this host", link-local
 * (169.254.0.0/16 holds the cloud metadata services) and the addresses of this machine's own
 * interfaces. Checked against every address a name resolves to, and the address checked is the one
 * connected to (see `pinnedLookup`), so a name that re-resolves elsewhere later gains nothing.
 */
function forbiddenRanges(): BlockList {
	const b = new BlockList();
	b.addSubnet('127.0.0.0', 8, 'ipv4');
	b.addSubnet('0.0.0.0', 8, 'ipv4');
	b.addSubnet('169.254.0.0', 16, 'ipv4');
	b.addAddress('::1', 'ipv6');
	b.addAddress('::', 'ipv6');
	b.addSubnet('fe80::', 10, 'ipv6');
	// AWS's IPv6 instance metadata endpoint.
	b.addAddress('fd00:ec2::254', 'ipv6');
	for (const addrs of Object.values(networkInterfaces())) {
		for (const a of addrs ?? []) b.addAddress(a.address.split('%')[0], a.family === 'IPv6' ? 'ipv6' : 'ipv4');
	}
	return b;
}

let forbidden: BlockList | null = null;

/** IPv4-mapped IPv6 (::ffff:127.0.0.1) is checked as the IPv4 address it is. */
function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	if (mapped) return { address: mapped[1], family: 'ipv4' };
	return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

export function isForbiddenAddress(address: string): boolean {
	forbidden ??= forbiddenRanges();
	const n = normalise(address.split('%')[0]);
	return forbidden.check(n.address, n.family);
}

export class RefusedUrlError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RefusedUrlError';
	}
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;
const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/** The URL's host as written, lower-case and without IPv6 brackets. */
export function hostOf(url: URL): string {
	return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/**
 * The address to connect to for `url`, or a RefusedUrlError saying why not. Hosts on the allow list
 * (WEBHOOK_ALLOW_HOSTS) skip the address check: an admin decided that receiver is fine.
 */
export async function resolveTarget(url: URL, allowHosts: readonly string[], resolve: Resolver = systemResolver): Promise<{ address: string; family: 4 | 6 }> {
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RefusedUrlError('only http and https URLs are allowed');
	const host = hostOf(url);
	const allowed = allowHosts.includes(host);
	let addresses: { address: string; family: number }[];
	if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
	else {
		try {
			addresses = await resolve(host);
		} catch {
			throw new RefusedUrlError(`cannot resolve ${host}`);
		}
	}
	if (addresses.length === 0) throw new RefusedUrlError(`cannot resolve ${host}`);
	if (!allowed) {
		const bad = addresses.find((a) => isForbiddenAddress(a.address));
		if (bad) throw new RefusedUrlError(`${host} resolves to ${bad.address} (loopback, link-local or this server); allow it with WEBHOOK_ALLOW_HOSTS`);
	}
	const first = addresses[0];
	return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

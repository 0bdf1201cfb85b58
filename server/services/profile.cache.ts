import { buildProfile, type Profile } from '../../src/lib/core/profile.ts';
import type { AvailabilityInput } from '../../src/lib/core/types.ts';
import { siteToday } from './availability.input.ts';

interface Entry {
	version: string;
	timeZone: string;
	today: string;
	profile: Profile;
}

/**
 * Built availability profiles per SKU×site, kept between promise checks. An entry is used only while
 * the pair's version (PositionsRepository.profileVersions) is the one it was built at and its site's
 * "today" has not moved, so a kept profile always equals a fresh one. Least recently used entries go
 * first once `max` are held (a 1,000-commitment profile is a few hundred KiB at most).
 */
export class ProfileCache {
	private readonly entries = new Map<string, Entry>();
	hits = 0;
	misses = 0;

	constructor(private readonly max = 2_000) {}

	get(sku: string, site: string, version: string, now: Date): Profile | undefined {
		const key = `${sku}\u0000${site}`;
		const e = this.entries.get(key);
		if (!e || e.version !== version || siteToday(e.timeZone, now) !== e.today) {
			this.misses++;
			return undefined;
		}
		this.hits++;
		this.entries.delete(key);
		this.entries.set(key, e);
		return e.profile;
	}

	/** Builds the profile of `input` and keeps it under `version`. */
	put(sku: string, site: string, version: string, timeZone: string, input: AvailabilityInput): Profile {
		const key = `${sku}\u0000${site}`;
		const profile = buildProfile(input);
		this.entries.delete(key);
		this.entries.set(key, { version, timeZone, today: input.today, profile });
		while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
		return profile;
	}

	get size(): number {
		return this.entries.size;
	}
}

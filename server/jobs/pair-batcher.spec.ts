import { describe, expect, it } from 'vitest';
import { PairBatcher } from './pair-batcher.ts';

const key = (i: number) => ({ sku: `S${i}`, site: 'A' });

describe('PairBatcher', () => {
	it('gathers pairs submitted in the same tick into one run, up to the batch size', async () => {
		const runs: number[] = [];
		const b = new PairBatcher(async (keys) => void runs.push(keys.length), 10, 1);
		await Promise.all(Array.from({ length: 25 }, (_, i) => b.submit(key(i))));
		expect(runs).toEqual([10, 10, 5]);
	});

	it('never runs more batches at once than allowed (no extra slot)', async () => {
		let running = 0;
		let peak = 0;
		const b = new PairBatcher(
			async () => {
				peak = Math.max(peak, ++running);
				await new Promise((r) => setTimeout(r, 5));
				running--;
			},
			2,
			2,
			0
		);
		await Promise.all(Array.from({ length: 20 }, (_, i) => b.submit(key(i))));
		expect(peak).toBe(2);
	});

	it('starts a few pairs at once on an extra slot while the regular slots are busy, but never a large batch', async () => {
		const release: (() => void)[] = [];
		const runs: number[] = [];
		const b = new PairBatcher(
			(keys) => {
				runs.push(keys.length);
				return new Promise<void>((r) => release.push(r));
			},
			10,
			1,
			2
		);
		const first = Promise.all(Array.from({ length: 10 }, (_, i) => b.submit(key(i))));
		await expect.poll(() => runs).toEqual([10]);
		const express = Promise.all([b.submit(key(20)), b.submit(key(21))]);
		await expect.poll(() => runs).toEqual([10, 2]);
		const burst = Promise.all(Array.from({ length: 5 }, (_, i) => b.submit(key(30 + i))));
		// Five pairs are a batch for a regular slot: they wait until the slots are free.
		await new Promise((r) => setImmediate(r));
		expect(runs).toEqual([10, 2]);
		release.splice(0).forEach((r) => r());
		await first;
		await expect.poll(() => runs).toEqual([10, 2, 5]);
		release.splice(0).forEach((r) => r());
		await Promise.all([express, burst]);
	});
	it('fails every job of a failed batch and keeps serving later ones', async () => {
		let fail = true;
		const b = new PairBatcher(async () => {
			if (fail) throw new Error('db down');
		});
		const first = await Promise.allSettled([b.submit(key(1)), b.submit(key(2))]);
		expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
		fail = false;
		await expect(b.submit(key(3))).resolves.toBeUndefined();
	});
});

import type { PairKey } from '../repositories/positions.repository.ts';

interface Waiter {
	key: PairKey;
	resolve: () => void;
	reject: (err: unknown) => void;
}

/**
 * Gathers the pairs of the jobs a worker holds at once into a few transactions. BullMQ hands out one
 * job per pair; recomputing each alone costs a dozen round trips, recomputing fifty together costs
 * the same dozen. A failed batch fails each of its jobs, which BullMQ then retries one by one.
 */
export class PairBatcher {
	private readonly waiting: Waiter[] = [];
	private inFlight = 0;
	private scheduled = false;

	constructor(
		private readonly run: (keys: PairKey[]) => Promise<unknown>,
		private readonly maxBatch = 100,
		private readonly maxInFlight = 2,
		/**
		 * A few pairs waiting while every batch slot is busy get one more slot at once: a lone event
		 * should not wait behind a burst's large batches (batching pays under load, not for one pair).
		 */
		private readonly expressMax = 4
	) {}

	submit(key: PairKey): Promise<void> {
		return new Promise((resolve, reject) => {
			this.waiting.push({ key, resolve, reject });
			if (!this.scheduled) {
				this.scheduled = true;
				// Let the other jobs delivered in the same tick join this batch.
				setImmediate(() => {
					this.scheduled = false;
					this.drain();
				});
			}
		});
	}

	private drain(): void {
		while (this.waiting.length && (this.inFlight < this.maxInFlight || (this.inFlight === this.maxInFlight && this.waiting.length <= this.expressMax))) {
			const batch = this.waiting.splice(0, this.maxBatch);
			this.inFlight++;
			this.run(batch.map((w) => w.key))
				.then(
					() => batch.forEach((w) => w.resolve()),
					(err) => batch.forEach((w) => w.reject(err))
				)
				.finally(() => {
					this.inFlight--;
					this.drain();
				});
		}
	}
}

import type { Logger } from '../../logger.ts';

/** A listener set whose failing listener is logged, never allowed to break the emitter. */
export class Listeners<T> {
	private readonly set = new Set<(value: T) => void>();

	constructor(
		private readonly log: Logger,
		private readonly what: string
	) {}

	/** `first`: called before the listeners added so far (e.g. a relay that should not wait for local sends). */
	add(listener: (value: T) => void, first = false): () => void {
		if (first) {
			const rest = [...this.set];
			this.set.clear();
			this.set.add(listener);
			for (const l of rest) this.set.add(l);
		} else {
			this.set.add(listener);
		}
		return () => this.set.delete(listener);
	}

	emit(value: T, boardId: string): void {
		for (const listener of this.set) {
			try {
				listener(value);
			} catch (err) {
				this.log.error({ err, boardId }, `board ${this.what} listener failed`);
			}
		}
	}
}

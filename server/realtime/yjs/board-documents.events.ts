import type { Logger } from '../../logger.ts';

/** A listener set whose failing listener is logged, never allowed to break the emitter. */
export class Listeners<T> {
	private readonly set = new Set<(value: T) => void>();

	constructor(
		private readonly log: Logger,
		private readonly what: string
	) {}

	add(listener: (value: T) => void): () => void {
		this.set.add(listener);
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

/**
 * Runs `work` on demand, never twice at once: a `kick` while it runs asks for exactly one more run
 * afterwards (notifications that arrive mid-run are covered by that run, not queued one by one).
 */
export class CoalescingRunner {
	private running: Promise<void> | null = null;
	private again = false;

	constructor(
		private readonly work: () => Promise<void>,
		private readonly onError: (err: unknown) => void,
		/** Checked at every kick, the re-run included: false once the owner has stopped. */
		private readonly enabled: () => boolean = () => true
	) {}

	kick(): void {
		if (!this.enabled()) return;
		if (this.running) {
			this.again = true;
			return;
		}
		this.running = this.work()
			.catch(this.onError)
			.finally(() => {
				this.running = null;
				if (this.again) {
					this.again = false;
					this.kick();
				}
			});
	}

	/** Resolves when the run in progress, if any, is over. */
	async idle(): Promise<void> {
		await this.running;
	}
}

import { elementScroll, observeElementOffset, observeElementRect, Virtualizer, type VirtualItem } from '@tanstack/virtual-core';

/**
 * Windowing for fixed-height rows (TanStack Virtual's framework-free core): only the rows in view,
 * plus a few either side, exist in the DOM, so a 500-commitment table stays as light as a 30-row one.
 */
export class VirtualRows {
	items = $state.raw<VirtualItem[]>([]);
	totalSize = $state(0);
	private readonly v: Virtualizer<HTMLElement, HTMLElement>;
	private el: HTMLElement | null = null;

	constructor(
		readonly rowHeight: number,
		overscan = 8
	) {
		this.v = new Virtualizer<HTMLElement, HTMLElement>({
			count: 0,
			getScrollElement: () => this.el,
			estimateSize: () => rowHeight,
			overscan,
			scrollToFn: elementScroll,
			observeElementRect,
			observeElementOffset,
			onChange: () => this.read()
		});
	}

	/** An attachment for the scrolling element. */
	attach = (el: HTMLElement) => {
		this.el = el;
		const stop = this.v._didMount();
		this.v._willUpdate();
		this.read();
		return () => {
			stop();
			this.el = null;
		};
	};

	set count(n: number) {
		if (n === this.v.options.count) return;
		this.v.setOptions({ ...this.v.options, count: n });
		this.v._willUpdate();
		this.read();
	}

	/** Brings a row into view (keyboard moves, a linked card), only as far as needed. */
	scrollTo(index: number): void {
		this.v.scrollToIndex(index, { align: 'auto' });
	}

	private read(): void {
		this.items = this.v.getVirtualItems();
		this.totalSize = this.v.getTotalSize();
	}
}

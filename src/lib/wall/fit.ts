/**
 * A Svelte action: tells how many rows of `rowRem` (with `gapRem` between them) fit in the element's
 * height, now and on every resize, so a wall panel never shows a row cut in half whatever the screen.
 */
export function fitRows(node: HTMLElement, opts: { rowRem: number; gapRem: number; onFit: (rows: number) => void }) {
	const measure = () => {
		const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
		const per = (opts.rowRem + opts.gapRem) * rem;
		opts.onFit(Math.max(1, Math.floor((node.clientHeight + opts.gapRem * rem) / per)));
	};
	const observer = new ResizeObserver(measure);
	observer.observe(node);
	measure();
	return { destroy: () => observer.disconnect() };
}

// Mounts a uPlot chart in an element and keeps it as wide as the element. Browser only: uPlot is
// imported on first use, so server rendering never loads it.
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface HostedChart {
	chart: uPlot;
	destroy(): void;
}

/** `build` gets the uPlot class, for its path builders (stepped lines). */
export async function mountUplot(el: HTMLElement, build: (U: typeof uPlot) => Omit<uPlot.Options, 'width'>, data: uPlot.AlignedData): Promise<HostedChart> {
	const { default: UPlot } = await import('uplot');
	const opts = build(UPlot);
	const width = () => Math.max(60, Math.floor(el.clientWidth));
	const chart = new UPlot({ ...opts, width: width() }, data, el);
	const resize = new ResizeObserver(() => {
		if (chart.width !== width()) chart.setSize({ width: width(), height: opts.height });
	});
	resize.observe(el);
	return {
		chart,
		destroy() {
			resize.disconnect();
			chart.destroy();
		}
	};
}

/** `#rrggbb` at an opacity, for fills under a line. */
export function withAlpha(hex: string, alpha: number): string {
	const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
	return m ? `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${alpha})` : hex;
}

/** A theme colour (a CSS custom property of app.css), read when the chart is drawn so both themes work. */
export function themeColour(name: string, fallback = '#888'): string {
	return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/**
 * One chart for the life of a component: new data of the same shape goes through setData (hover and
 * legend stay where they are when live data reloads), a new shape (other series) rebuilds the chart.
 */
export class ChartSlot {
	private hosted: HostedChart | null = null;
	private shape = '';
	private generation = 0;
	private lastData = '';

	show(el: HTMLElement, shape: string, build: (U: typeof uPlot) => Omit<uPlot.Options, 'width'>, data: uPlot.AlignedData, onReady?: (chart: uPlot) => void): void {
		const json = JSON.stringify(data);
		if (this.hosted && shape === this.shape) {
			if (json !== this.lastData) this.hosted.chart.setData(data);
			this.lastData = json;
			return;
		}
		this.destroy();
		this.shape = shape;
		this.lastData = json;
		const generation = ++this.generation;
		void mountUplot(el, build, data).then((h) => {
			if (generation !== this.generation) return h.destroy();
			this.hosted = h;
			onReady?.(h.chart);
		});
	}

	destroy(): void {
		this.generation++;
		this.hosted?.destroy();
		this.hosted = null;
	}
}

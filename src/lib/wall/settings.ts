export const WALL_PANELS = ['alerts', 'commitments', 'shipments', 'handoff'] as const;
export type WallPanelId = (typeof WALL_PANELS)[number];

export interface WallSettings {
	token: string | null;
	panels: WallPanelId[];
	rotateMs: number;
	quietHour: string;
	reloadAfterMs: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** A kiosk is configured by its URL alone: nothing to click on a screen without a keyboard. */
export function wallSettings(q: URLSearchParams): WallSettings {
	const panels = (q.get('panels') ?? '').split(',').filter((p): p is WallPanelId => (WALL_PANELS as readonly string[]).includes(p));
	return {
		token: q.get('token'),
		panels: panels.length ? panels : [...WALL_PANELS],
		rotateMs: clamp(Number(q.get('rotate')) || 15, 3, 600) * 1000,
		quietHour: /^\d{1,2}:\d{2}$/.test(q.get('reloadAt') ?? '') ? q.get('reloadAt')! : '03:30',
		reloadAfterMs: clamp(Number(q.get('reloadAfterMin')) || 5, 0.1, 24 * 60) * 60_000
	};
}

/** Panels grouped into the pages the rotation steps through (one panel per page at 1080p, two at 4K). */
export function panelPages(panels: WallPanelId[], perPage: number): WallPanelId[][] {
	const pages: WallPanelId[][] = [];
	for (let i = 0; i < panels.length; i += perPage) pages.push(panels.slice(i, i + perPage));
	return pages.length ? pages : [['alerts']];
}

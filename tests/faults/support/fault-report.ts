import type { RequestRecord } from './traffic.ts';

export interface FaultRow {
	fault: string;
	/** Requests started while the fault lasted: answered with an HTTP status / all. */
	answered: number;
	requests: number;
	/** Refused at connect (a killed node's port), counted apart from answers. */
	refused: number;
	slowestMs: number;
	statuses: string;
	acked: number;
	stored: number;
	lostEvents: number;
	/** Board edits typed through the fault (a provider's ledger) vs found in the stored board. */
	boardAcked: number | null;
	boardStored: number | null;
	alertsOpen: number;
	alertsExpected: number;
	convergedSeconds: number;
}

export function summarise(records: RequestRecord[]): Pick<FaultRow, 'answered' | 'requests' | 'refused' | 'slowestMs' | 'statuses'> {
	const counts = new Map<string, number>();
	for (const r of records) {
		const key = r.status === null ? (r.error ?? 'no answer') : String(r.status);
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return {
		answered: records.filter((r) => r.status !== null).length,
		requests: records.length,
		refused: records.filter((r) => r.error === 'ECONNREFUSED').length,
		slowestMs: Math.max(0, ...records.map((r) => r.ms)),
		statuses: [...counts].sort().map(([k, n]) => `${k}×${n}`).join(' ')
	};
}

export function formatTable(rows: FaultRow[]): string {
	const head = ['fault', 'requests answered', 'slowest', 'statuses during fault', 'events acked / stored', 'lost', 'board edits acked / stored', 'alerts open / expected', 'converged'];
	const lines = rows.map((r) => [
		r.fault,
		`${r.answered}/${r.requests}${r.refused ? ` (${r.refused} refused at connect)` : ''}`,
		`${(r.slowestMs / 1000).toFixed(2)} s`,
		r.statuses,
		`${r.acked} / ${r.stored}`,
		String(r.lostEvents),
		r.boardAcked === null ? '—' : `${r.boardAcked} / ${r.boardStored}`,
		`${r.alertsOpen} / ${r.alertsExpected}`,
		`${r.convergedSeconds.toFixed(1)} s`
	]);
	return [head, head.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

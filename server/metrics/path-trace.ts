/**
 * Where an event's time goes on its way to the screen, for the fan-out bench: each stage of the path
 * (commit → enqueue → job start → recomputed → relay woken → rows read → emitted) reports the SKU it
 * carried and when. Off unless a bench installs a hook, so production pays one null check per stage.
 */
export const PATH_STAGES = ['commit', 'enqueued', 'jobStart', 'recomputed', 'relayWoken', 'rowsRead', 'emitted'] as const;
export type PathStage = (typeof PATH_STAGES)[number];
export type PathTraceHook = (stage: PathStage, sku: string, at: number) => void;

let hook: PathTraceHook | null = null;

/** Epoch ms with sub-ms precision, comparable with the bench's clients on the same machine. */
export const traceNow = () => performance.timeOrigin + performance.now();

export function setPathTrace(h: PathTraceHook | null): void {
	hook = h;
}

export function tracing(): boolean {
	return hook !== null;
}

export function tracePath(stage: PathStage, skus: Iterable<string>, at = traceNow()): void {
	if (hook) for (const sku of skus) hook(stage, sku, at);
}

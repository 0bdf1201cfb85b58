// One open-loop poster, run in a process of its own so the server's work in the bench process cannot
// delay its schedule: a batch goes out every tick whether or not earlier ones were answered.

export interface PosterJob {
	url: string;
	token: string;
	/** Events per second this poster sends. */
	rate: number;
	seconds: number;
	tickMs: number;
	/** Wall-clock ms when tick 0 is due (shared by every poster). */
	poster: number;
	label: string;
	pairs: number;
}

export interface PosterReport {
	batches: number;
	events: number;
	accepted: number;
	errors: number;
	/** Sends that left more than one tick after they were due (the poster itself fell behind). */
	lateSends: number;
	/** POST → 202, per batch, ms. */
	responseMs: number[];
	lastAnswerAt: number;
	/** The first few failures (status or error), to say why. */
	failures: string[];
}

const job = JSON.parse(process.argv[2]) as PosterJob;
const perTick = Math.max(1, Math.round((job.rate * job.tickMs) / 1000));
const ticks = Math.round((job.seconds * 1000) / job.tickMs);
const skus = Math.ceil(job.pairs / 4);
const report: PosterReport = { batches: 0, events: 0, accepted: 0, errors: 0, lateSends: 0, responseMs: [], lastAnswerAt: 0, failures: [] };
const fail = (why: string) => {
	report.errors++;
	if (report.failures.length < 5) report.failures.push(why);
};
const inFlight: Promise<void>[] = [];
let seed = 1 + job.poster * 7919;
const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);

function send(startAt: number, k: number): void {
	const due = startAt + k * job.tickMs;
	if (Date.now() - due > job.tickMs) report.lateSends++;
	const at = new Date(due).toISOString();
	const events = Array.from({ length: perTick }, (_, i) => {
		const pair = Math.floor(rnd() * job.pairs);
		return { id: `${job.label}-${job.poster}-${k}-${i}`, type: i % 3 === 0 ? 'shipment' : 'receipt', sku: `SKU-${pair % skus}`, site: `S${Math.floor(pair / skus) % 4}`, qty: 1 + (i % 5), at };
	});
	const t0 = performance.now();
	report.batches++;
	report.events += perTick;
	inFlight.push(
		fetch(`${job.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${job.token}` }, body: JSON.stringify(events) })
			.then(async (res) => {
				await res.arrayBuffer();
				if (res.status === 202) report.accepted += perTick;
				else fail(`HTTP ${res.status}`);
			})
			.catch((err: Error) => fail(String(err.cause ?? err.message)))
			.finally(() => {
				report.responseMs.push(performance.now() - t0);
				report.lastAnswerAt = Date.now();
			})
	);
}

// Ready once loaded; the bench then names the instant tick 0 is due, the same for every poster.
const startAt = await new Promise<number>((resolve) => {
	process.once('message', (m) => resolve((m as { startAt: number }).startAt));
	process.send!({ ready: true });
});
for (let k = 0; k < ticks; k++) {
	const wait = startAt + k * job.tickMs - Date.now();
	if (wait > 0) await new Promise((r) => setTimeout(r, wait));
	send(startAt, k);
}
await Promise.all(inFlight);
process.send!(report, () => process.exit(0));

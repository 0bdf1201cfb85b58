// A strict parser of Prometheus's text exposition format (version 0.0.4), for tests: it throws on
// anything a Prometheus server would refuse, and checks the histogram invariants besides.
// https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format

export interface Sample {
	name: string;
	labels: Record<string, string>;
	value: number;
}

export interface Family {
	name: string;
	type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
	help?: string;
	samples: Sample[];
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Go's strconv.ParseFloat, which Prometheus uses: NaN and Inf in any case (prom-client writes `Nan`). */
function parseValue(s: string, line: number): number {
	const special = /^([+-]?)(nan|inf|infinity)$/i.exec(s);
	if (special) return special[2].toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
	if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw new Error(`line ${line}: bad value ${JSON.stringify(s)}`);
	return Number(s);
}

function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
	const labels: Record<string, string> = {};
	let i = 1; // after '{'
	for (;;) {
		while (text[i] === ' ') i++;
		if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
		const name = LABEL.exec(text.slice(i))?.[0];
		if (!name) throw new Error(`line ${line}: bad label name at ${JSON.stringify(text.slice(i))}`);
		if (name in labels) throw new Error(`line ${line}: label ${name} twice`);
		i += name.length;
		if (text[i] !== '=' || text[i + 1] !== '"') throw new Error(`line ${line}: expected ="`);
		i += 2;
		let value = '';
		for (;;) {
			const c = text[i++];
			if (c === undefined) throw new Error(`line ${line}: unterminated label value`);
			if (c === '"') break;
			if (c === '\\') {
				const e = text[i++];
				if (e === 'n') value += '\n';
				else if (e === '\\' || e === '"') value += e;
				else throw new Error(`line ${line}: bad escape \\${e}`);
			} else value += c;
		}
		labels[name] = value;
		if (text[i] === ',') i++;
		else if (text[i] !== '}') throw new Error(`line ${line}: expected , or }`);
	}
}

/** The family a sample belongs to: histograms and summaries own their _bucket, _sum and _count series. */
function familyOf(name: string, families: Map<string, Family>): Family | undefined {
	for (const suffix of ['_bucket', '_sum', '_count']) {
		if (!name.endsWith(suffix)) continue;
		const f = families.get(name.slice(0, -suffix.length));
		if (f && (f.type === 'histogram' || (f.type === 'summary' && suffix !== '_bucket'))) return f;
	}
	return families.get(name);
}

export function parsePrometheusText(text: string): Map<string, Family> {
	const families = new Map<string, Family>();
	const seenSeries = new Set<string>();
	const closed = new Set<string>();
	let current: Family | undefined;
	if (text.length && !text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
	text.split('\n').forEach((raw, index) => {
		const line = index + 1;
		if (raw.trim() === '') return;
		if (raw.startsWith('#')) {
			const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(raw);
			if (!m) return; // a plain comment
			const [, kind, name, rest = ''] = m;
			if (!METRIC.test(name) || METRIC.exec(name)![0] !== name) throw new Error(`line ${line}: bad metric name ${name}`);
			let f = families.get(name);
			if (kind === 'TYPE') {
				if (!TYPES.has(rest)) throw new Error(`line ${line}: unknown type ${rest}`);
				if (f?.samples.length) throw new Error(`line ${line}: TYPE of ${name} after its samples`);
				if (f && f.type !== 'untyped') throw new Error(`line ${line}: second TYPE for ${name}`);
				f ??= { name, type: 'untyped', samples: [] };
				f.type = rest as Family['type'];
			} else {
				if (f?.help !== undefined) throw new Error(`line ${line}: second HELP for ${name}`);
				f ??= { name, type: 'untyped', samples: [] };
				f.help = rest;
			}
			families.set(name, f);
			return;
		}
		const name = METRIC.exec(raw)?.[0];
		if (!name) throw new Error(`line ${line}: bad metric name in ${JSON.stringify(raw)}`);
		let rest = raw.slice(name.length);
		let labels: Record<string, string> = {};
		if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line));
		const parts = rest.trim().split(/\s+/);
		if (parts.length < 1 || parts.length > 2 || !rest.startsWith(' ')) throw new Error(`line ${line}: expected a value (and optional timestamp)`);
		const value = parseValue(parts[0], line);
		if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`line ${line}: bad timestamp`);
		let f = familyOf(name, families);
		if (!f) {
			f = { name, type: 'untyped', samples: [] };
			families.set(name, f);
		}
		// One family's samples stay together.
		if (current !== f) {
			if (current) closed.add(current.name);
			if (closed.has(f.name)) throw new Error(`line ${line}: samples of ${f.name} are not grouped together`);
			current = f;
		}
		const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
		if (seenSeries.has(key)) throw new Error(`line ${line}: duplicate series ${key}`);
		seenSeries.add(key);
		if ((f.type === 'counter' || name.endsWith('_count') || name.endsWith('_bucket')) && !(value >= 0)) throw new Error(`line ${line}: ${name} must be ≥ 0`);
		f.samples.push({ name, labels, value });
	});
	for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
	return families;
}

function checkHistogram(f: Family): void {
	const groups = new Map<string, Sample[]>();
	const keyOf = (s: Sample) => JSON.stringify(Object.entries(s.labels).filter(([k]) => k !== 'le').sort());
	for (const s of f.samples) groups.set(keyOf(s), [...(groups.get(keyOf(s)) ?? []), s]);
	for (const [key, samples] of groups) {
		const buckets = samples.filter((s) => s.name === `${f.name}_bucket`);
		const count = samples.find((s) => s.name === `${f.name}_count`);
		if (!count || !samples.some((s) => s.name === `${f.name}_sum`)) throw new Error(`${f.name}${key}: _sum and _count are required`);
		const les = buckets.map((b) => parseValue(b.labels.le ?? 'x', 0));
		if (les.at(-1) !== Infinity) throw new Error(`${f.name}${key}: the last bucket must be le="+Inf"`);
		for (let i = 1; i < buckets.length; i++) {
			if (!(les[i] > les[i - 1])) throw new Error(`${f.name}${key}: bucket bounds must increase`);
			if (buckets[i].value < buckets[i - 1].value) throw new Error(`${f.name}${key}: buckets must be cumulative`);
		}
		if (buckets.at(-1)!.value !== count.value) throw new Error(`${f.name}${key}: +Inf bucket differs from _count`);
	}
}

/** The value of one series; labels not given are not compared. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
	for (const f of families.values()) {
		for (const s of f.samples) {
			if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
		}
	}
	return undefined;
}

// A deterministic, realistic demo catalogue: the same seed gives the same board on every machine.

export function rng(seed: number) {
	let s = seed >>> 0;
	const next = () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]
	};
}

export const DEMO_SITES = [
	{ code: 'EAST', name: 'East DC (Newark)', timeZone: 'America/New_York' },
	{ code: 'WEST', name: 'West DC (Reno)', timeZone: 'America/Los_Angeles' },
	{ code: 'EU', name: 'EU hub (Rotterdam)', timeZone: 'Europe/Amsterdam' }
] as const;

const FAMILIES = [
	{ prefix: 'BLT', unit: 'box', names: ['Hex bolt M6×30', 'Hex bolt M8×40', 'Hex bolt M10×60', 'Carriage bolt M8×50', 'Flange bolt M12×40'] },
	{ prefix: 'NUT', unit: 'box', names: ['Lock nut M6', 'Lock nut M8', 'Wing nut M10', 'Flange nut M12', 'Cap nut M8'] },
	{ prefix: 'BRG', unit: 'ea', names: ['Ball bearing 6204', 'Ball bearing 6305', 'Roller bearing 32208', 'Pillow block UCP205', 'Needle bearing HK1612'] },
	{ prefix: 'MTR', unit: 'ea', names: ['Gear motor 0.37 kW', 'Gear motor 0.75 kW', 'Servo motor 400 W', 'Stepper NEMA 23', 'Fan motor 120 W'] },
	{ prefix: 'PKG', unit: 'roll', names: ['Pallet wrap 500 mm', 'Strapping PET 16 mm', 'Tape 48 mm brown', 'Bubble wrap 1 m', 'Kraft paper 750 mm'] },
	{ prefix: 'VLV', unit: 'ea', names: ['Ball valve DN25', 'Check valve DN40', 'Gate valve DN50', 'Solenoid valve 24 V', 'Butterfly valve DN80'] },
	{ prefix: 'CBL', unit: 'm', names: ['Cable 3×1.5 mm²', 'Cable 5×2.5 mm²', 'Ethernet Cat6 S/FTP', 'Control cable 12×0.75', 'Welding cable 35 mm²'] },
	{ prefix: 'SEN', unit: 'ea', names: ['Inductive sensor M12', 'Photoelectric sensor', 'Pressure transmitter 10 bar', 'PT100 probe', 'Level switch'] }
] as const;

const VARIANTS = ['', ' zinc', ' stainless', ' heavy duty', ' IP67'];

export interface DemoSku {
	code: string;
	name: string;
	unit: string;
	leadTimeDays: number;
	lifecycle: 'new' | 'growth' | 'mature' | 'decline' | 'end_of_life';
}

export function demoSkus(count = 200): DemoSku[] {
	const r = rng(42);
	const skus: DemoSku[] = [];
	for (let i = 0; skus.length < count; i++) {
		const fam = FAMILIES[i % FAMILIES.length];
		const base = fam.names[Math.floor(i / FAMILIES.length) % fam.names.length];
		const variant = VARIANTS[Math.floor(i / (FAMILIES.length * 5)) % VARIANTS.length];
		skus.push({
			code: `${fam.prefix}-${String(1000 + i)}`,
			name: `${base}${variant}`,
			unit: fam.unit,
			leadTimeDays: r.pick([3, 5, 7, 10, 14, 21, 30, 45]),
			lifecycle: r.pick(['new', 'growth', 'mature', 'mature', 'mature', 'decline', 'end_of_life'] as const)
		});
	}
	return skus;
}

export const DEMO_CUSTOMERS = [
	'Acme Industrial',
	'Borealis Foods',
	'Cobalt Robotics',
	'Delta Marine',
	'Evergreen Packaging',
	'Fjord Energy',
	'Granite Construction',
	'Helix Pharma',
	'Ionic Labs',
	'Juniper Retail'
];

export const DEMO_USERS = [
	{ email: 'admin@demo.local', name: 'Ada Admin', role: 'admin' },
	{ email: 'ops@demo.local', name: 'Omar Ops', role: 'ops' },
	{ email: 'sales@demo.local', name: 'Sofia Sales', role: 'sales' },
	{ email: 'viewer@demo.local', name: 'Vic Viewer', role: 'viewer' }
] as const;

export function isoDay(offsetDays: number, from = new Date()): string {
	const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
	d.setUTCDate(d.getUTCDate() + offsetDays);
	return d.toISOString().slice(0, 10);
}

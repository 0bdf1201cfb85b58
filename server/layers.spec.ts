// The layer boundaries are ESLint rules (eslint.config.js); this proves each one fires on a
// forbidden import and stays quiet on an allowed one, so `npm run lint` (and `npm test`) enforce them.
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function restricted(filePath: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, { filePath });
	return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const cases: { layer: string; file: string; forbidden: string; allowed: string }[] = [
	{ layer: 'the pure core', file: 'src/lib/core/fixture.ts', forbidden: "import { readFile } from 'node:fs';", allowed: "import { addDays } from './dates.ts';" },
	{ layer: 'the contract', file: 'src/lib/contract/fixture.ts', forbidden: "import type { Sql } from '../../../server/db/database.ts';", allowed: "import { z } from 'zod';" },
	{ layer: 'the policy', file: 'src/lib/policy/fixture.ts', forbidden: "import { isUnavailableError } from '$lib/server/unavailable';", allowed: "import type { Role } from '../contract/domain.ts';" },
	{ layer: 'repositories', file: 'server/repositories/fixture.repository.ts', forbidden: "import type { Services } from '../services/services.ts';", allowed: "import type { Sql } from '../db/database.ts';" },
	{ layer: 'services (controllers)', file: 'server/services/fixture.service.ts', forbidden: "import { authenticate } from '../http/middleware.ts';", allowed: "import type { RecomputeProducer } from './jobs.port.ts';" },
	{ layer: 'services (job implementations)', file: 'server/services/fixture.service.ts', forbidden: "import { RecomputeQueue } from '../jobs/queues.ts';", allowed: "import type { Repositories } from '../repositories/repositories.ts';" },
	{ layer: 'services (realtime)', file: 'server/services/fixture.service.ts', forbidden: "import type { PbServer } from '../realtime/socket.server.ts';", allowed: "import { parse } from './validate.ts';" },
	{ layer: 'controllers', file: 'server/http/fixture.controller.ts', forbidden: "import { UsersRepository } from '../repositories/users.repository.ts';", allowed: "import type { Services } from '../services/services.ts';" },
	{ layer: 'realtime', file: 'server/realtime/fixture.ts', forbidden: "import { originCheck } from '../http/middleware.ts';", allowed: "import { principalOf } from '../auth/credentials.ts';" },
	{ layer: 'import style', file: 'src/lib/core/fixture.ts', forbidden: "import { addDays } from './dates.js';", allowed: "import { addDays } from './dates.ts';" },
	{ layer: 'import style (no extension)', file: 'server/http/fixture.controller.ts', forbidden: "import { parse } from '../services/validate';", allowed: "import { parse } from '../services/validate.ts';" },
	{ layer: 'routes', file: 'src/routes/fixture/+page.server.ts', forbidden: "import { CatalogRepository } from '../../../server/repositories/catalog.repository.ts';", allowed: "import { can } from '$lib/policy/access.policy';" }
];

describe('layer boundaries (eslint no-restricted-imports)', () => {
	// Loading the config and its plugins once takes seconds on a busy machine; the cases after it do not.
	beforeAll(() => eslint.calculateConfigForFile('server/services/services.ts'), 60_000);

	for (const c of cases) {
		it(`${c.layer}: refuses ${c.forbidden}`, async () => {
			expect(await restricted(c.file, `${c.forbidden}\nexport const x = 1;\n`)).toHaveLength(1);
			expect(await restricted(c.file, `${c.allowed}\nexport const x = 1;\n`)).toEqual([]);
		}, 20_000);
	}
});

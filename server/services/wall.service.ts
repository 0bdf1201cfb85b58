import type { WallSnapshot } from '../../src/lib/contract/notifications.ts';
import { can, visibleSites, type Principal } from '../../src/lib/policy/access.policy.ts';
import { intersectScopes } from '../../src/lib/policy/board-scope.policy.ts';
import type { BoardsService } from './boards.service.ts';
import { toAlertPayload } from '../repositories/alerts.repository.ts';
import { ForbiddenError } from './errors.ts';
import type { HandoffService } from './handoff.service.ts';
import type { Repositories } from '../repositories/repositories.ts';

const MAX_ALERTS = 200;
const MAX_COMMITMENTS = 100;
const MAX_SHIPMENTS = 200;

/** Everything a wall screen shows, in one consistent read for its first paint and each refresh. */
export class WallService {
	constructor(
		private readonly repos: Pick<Repositories, 'alerts' | 'wall' | 'outbox'>,
		private readonly handoff: HandoffService,
		private readonly boards: Pick<BoardsService, 'open'>
	) {}

	/**
	 * The wall of one board: 404 when there is no such board, 403 when `p` may not open it (a display
	 * token: any board but its own). It shows the board's sites that `p` follows, nothing beyond.
	 */
	async snapshot(p: Principal, board: string): Promise<WallSnapshot> {
		if (!can(p, 'wall:read')) throw new ForbiddenError('this token or role may not show a wall');
		const sites = intersectScopes(visibleSites(p), await this.boards.open(p, board));
		// The seq first: whatever commits after it is replayed onto the snapshot, so nothing falls between.
		const sinceSeq = await this.repos.outbox.lastSeq();
		const [alerts, commitments, shipments, kpis, handoff] = await Promise.all([
			this.repos.alerts.list({ live: true }, sites, MAX_ALERTS),
			this.repos.wall.troubled(board, sites, MAX_COMMITMENTS),
			this.repos.wall.shipments(board, sites, MAX_SHIPMENTS),
			this.repos.wall.kpis(board, sites),
			this.handoff.latestPerSite(sites)
		]);
		const strip = ({ day: _day, ...c }: (typeof shipments)[number]) => c;
		return {
			board,
			generatedAt: new Date().toISOString(),
			sinceSeq,
			alerts: alerts.map((a) => {
				const { change: _change, ...rest } = toAlertPayload(a);
				return rest;
			}),
			commitments,
			shipments: {
				today: shipments.filter((s) => s.day === 'today').map(strip),
				tomorrow: shipments.filter((s) => s.day === 'tomorrow').map(strip)
			},
			kpis,
			handoff
		};
	}
}

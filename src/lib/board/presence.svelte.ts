import type { Awareness } from 'y-protocols/awareness';
import type { BoardPresence, CardKey } from '$lib/contract/board';

export { colorFor } from './presence-color.ts';

export interface Peer extends BoardPresence {
	clientId: number;
}

const TYPING_IDLE_MS = 1500;

/**
 * Who else is on the board and what they are doing (awareness): the card they have open and the
 * field they are typing in. Ours is published the same way for them.
 */
export class BoardPresenceState {
	peers = $state<Peer[]>([]);
	private awareness: Awareness | null = null;
	private focus: NonNullable<BoardPresence['focus']> = { card: null, field: null, typing: false };
	private typingTimer: ReturnType<typeof setTimeout> | undefined;

	constructor(private readonly user: BoardPresence['user']) {}

	attach(awareness: Awareness): () => void {
		this.awareness = awareness;
		awareness.setLocalState({ user: this.user, focus: this.focus } satisfies BoardPresence);
		const onChange = () => this.read();
		awareness.on('change', onChange);
		this.read();
		return () => {
			awareness.off('change', onChange);
			clearTimeout(this.typingTimer);
			this.awareness = null;
		};
	}

	/** The card we have open (null: none) and the field we are in. */
	setFocus(card: string | null, field: CardKey | null = null): void {
		if (this.focus.card === card && this.focus.field === field) return;
		this.publish({ card, field, typing: false });
	}

	/** We typed in `field`: shown as "typing" to the others until we pause. */
	typing(card: string, field: CardKey): void {
		clearTimeout(this.typingTimer);
		if (!this.focus.typing || this.focus.field !== field || this.focus.card !== card) this.publish({ card, field, typing: true });
		this.typingTimer = setTimeout(() => this.publish({ ...this.focus, typing: false }), TYPING_IDLE_MS);
	}

	/** The others who have `card` open. */
	on(card: string): Peer[] {
		return this.peers.filter((p) => p.focus?.card === card);
	}

	private publish(focus: NonNullable<BoardPresence['focus']>): void {
		this.focus = focus;
		this.awareness?.setLocalStateField('focus', focus);
	}

	private read(): void {
		const awareness = this.awareness;
		if (!awareness) return;
		const peers: Peer[] = [];
		for (const [clientId, state] of awareness.getStates()) {
			if (clientId === awareness.clientID || !isPresence(state)) continue;
			peers.push({ clientId, user: state.user, focus: state.focus ?? null });
		}
		this.peers = peers.sort((a, b) => a.user.name.localeCompare(b.user.name) || a.clientId - b.clientId);
	}
}

function isPresence(state: unknown): state is BoardPresence {
	const user = (state as Partial<BoardPresence> | null)?.user;
	return typeof user?.name === 'string' && typeof user.email === 'string';
}

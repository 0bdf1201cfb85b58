import { getContext, setContext, type Snippet } from 'svelte';

/** What a page adds to the shared app shell: items in the top bar (e.g. its connection state). */
export class ShellState {
	actions = $state<Snippet | undefined>();
}

const KEY = Symbol('app-shell');

export const provideShell = () => setContext(KEY, new ShellState());
export const useShell = () => getContext<ShellState>(KEY);

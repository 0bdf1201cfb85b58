import { DEFAULT_BOARD } from '$lib/contract/board';
import { loadBoard } from './board-load.ts';

export const load = (event) => loadBoard(event, DEFAULT_BOARD);

import { loadBoard } from '../board-load.ts';

export const load = (event) => loadBoard(event, event.params.boardId);

import { loadBoard } from '../board-load';

export const load = (event) => loadBoard(event, event.params.boardId);

import type { Attachment } from 'svelte/attachments';
import type * as Y from 'yjs';
import { mapPosition, setTextMinimal } from '../contract/board/text-diff.ts';

/**
 * Binds a textarea to a Y.Text (`{@attach bindText(text)}`): each input is sent as the smallest
 * splice, and other people's edits come in without moving our caret off the text we were at.
 */
export function bindText(text: Y.Text | null, onInput?: () => void): Attachment<HTMLTextAreaElement> {
	return (textarea) => {
		if (!text) return;
		const ours = Symbol('textarea');
		textarea.value = text.toString();
		const input = () => {
			text.doc?.transact(() => setTextMinimal(text, textarea.value), ours);
			onInput?.();
		};
		const observe = (event: Y.YTextEvent, transaction: Y.Transaction) => {
			if (transaction.origin === ours) return;
			const { selectionStart, selectionEnd, selectionDirection } = textarea;
			const focused = document.activeElement === textarea;
			textarea.value = text.toString();
			if (focused) textarea.setSelectionRange(mapPosition(selectionStart, event.delta), mapPosition(selectionEnd, event.delta), selectionDirection ?? undefined);
		};
		textarea.addEventListener('input', input);
		text.observe(observe);
		return () => {
			textarea.removeEventListener('input', input);
			text.unobserve(observe);
		};
	};
}

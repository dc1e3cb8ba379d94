/** Inline keyboards attached to answers. */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { AnswerPage } from '../answer/answer';
import type { Translate } from '../i18n/words';
import { encodeCallback } from './callback-data';

// Telegram shows up to 8 buttons per row; 5 stay legible on a phone.
const CONTEXT_BUTTONS_PER_ROW = 5;

/** "Context N" per quote and "More results" when there is a next page; null when no buttons. */
export function answerKeyboard(page: AnswerPage, t: Translate): InlineKeyboardMarkup | null {
  const rows: InlineKeyboardButton[][] = [];
  let row: InlineKeyboardButton[] = [];
  page.quotes.forEach((quote, index) => {
    const data = encodeCallback({ kind: 'context', passageId: quote.passageId });
    if (data === null) return;
    row.push({ text: t('button-context', { n: page.offset + index + 1 }), callback_data: data });
    if (row.length === CONTEXT_BUTTONS_PER_ROW) {
      rows.push(row);
      row = [];
    }
  });
  if (row.length > 0) rows.push(row);
  if (page.nextOffset !== null) {
    const data = encodeCallback({ kind: 'more', offset: page.nextOffset });
    if (data !== null) rows.push([{ text: t('button-more'), callback_data: data }]);
  }
  return rows.length > 0 ? { inline_keyboard: rows } : null;
}

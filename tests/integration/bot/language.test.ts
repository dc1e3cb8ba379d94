/**
 * The bot over the real seed index, for users who write in Ukrainian or Russian: frame words in
 * their language, quotes verbatim in English, and names found through their Latin spelling.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { wordsFor } from '../../../src/i18n/words';
import { createHarness, type Harness } from '../../helpers/bot-harness';
import { SEEDS_DIR, seedIndex } from '../../helpers/seed-index';
import { textMessage, user } from '../../helpers/updates';

let h: Harness;
beforeAll(async () => {
  h = createHarness((await seedIndex()).searcher);
});

const POKROVSK_REPORT = readFileSync(path.join(SEEDS_DIR, '004_fec8b3c843a67b77.txt'), 'utf8');

describe('a user writing in Ukrainian or Russian', () => {
  it.each([
    ['uk', 'Чи евакуюють жителів Покровська?'],
    ['ru', 'Эвакуируют ли жителей Покровска?'],
  ])('(%s) gets the Pokrovsk passage verbatim, under a note in their language that the reports are in English', async (language, question) => {
    const t = wordsFor(language);
    const calls = await h.send(textMessage(question, { from: user(600, 'Reader', language) }));
    const sent = calls.find((c) => c.method === 'sendMessage')!;
    const text = sent.payload.text as string;
    expect(text.startsWith(`${t('answer-reports-in-english')}\n\n`)).toBe(true);
    const quote = sent.payload.entities.find((e: { type: string }) => e.type === 'blockquote' || e.type === 'expandable_blockquote');
    const quoted = text.slice(quote.offset, quote.offset + quote.length);
    expect(quoted).toContain('urging residents of Pokrovsk and nearby areas to evacuate');
    expect(POKROVSK_REPORT).toContain(quoted);
    const buttons = sent.payload.reply_markup.inline_keyboard.flat().map((b: { text: string }) => b.text);
    expect(buttons).toContain(t('button-context', { n: 1 }));
  });
});

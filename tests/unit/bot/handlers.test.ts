import { describe, expect, it } from 'vitest';
import { englishWords, wordsFor } from '../../../src/i18n/words';
import { PRIVATE_CACHE_SECONDS } from '../../../src/bot/features/inline';
import { IndexError } from '../../../src/errors';
import { createHarness, type OutgoingCall } from '../../helpers/bot-harness';
import { createFakeSearcher, fakePassageId, TRICKY_NOTES, WEEKLY_ROUNDUP, type FakeReport } from '../../helpers/fake-searcher';
import {
  BOT_INFO,
  botMessage,
  callbackQuery,
  emptyCallbackQuery,
  groupChat,
  photoMessage,
  inlineQuery,
  privateChat,
  stickerMessage,
  textMessage,
  user,
} from '../../helpers/updates';

const en = englishWords();
const NON_TEXT_HINT = en('non-text-hint');
const UNKNOWN_COMMAND = en('unknown-command');
const EMPTY_QUESTION_HINT = en('answer-empty-question');
const BUTTON_EXPIRED = en('button-expired');
const PASSAGE_GONE = en('button-passage-gone');
const REFUSAL = en('access-refused');
const RATE_LIMITED = en('rate-limited');

/** The n-th paragraph (1-based, blank-line separated) of a fake report, with its offset. */
function para(report: FakeReport, n: number): { text: string; start: number; id: string } {
  const blocks = [...report.text.matchAll(/[^\n]+(?:\n[^\n]+)*/g)];
  const m = blocks[n - 1]!;
  return { text: m[0], start: m.index, id: fakePassageId(report.source, m.index) };
}

function sentence(paragraph: string, fragment: string): { offset: number; length: number } {
  const offset = paragraph.indexOf(fragment);
  expect(offset).toBeGreaterThanOrEqual(0);
  return { offset, length: fragment.length };
}

function methods(calls: OutgoingCall[]): string[] {
  return calls.map((c) => c.method);
}

const P2 = para(WEEKLY_ROUNDUP, 2);
const P3 = para(WEEKLY_ROUNDUP, 3);
const P4 = para(WEEKLY_ROUNDUP, 4);
const P5 = para(WEEKLY_ROUNDUP, 5);
/** Source line of a Weekly roundup paragraph; answer quotes carry their number (`k`), context views don't. */
const SRC = (n: number, k?: number) => `${k === undefined ? '' : `${k}. `}Report 003 · Weekly roundup · ¶${n}`;

describe('private questions', () => {
  it('sends typing, then the top passages as verbatim blockquotes with bold highlights and source lines, replying to the question', async () => {
    const h = createHarness(createFakeSearcher());
    const update = textMessage('How many Peklo cruise missiles were produced?', { from: user(111) });
    const calls = await h.send(update);
    expect(methods(calls)).toEqual(['sendChatAction', 'sendMessage']);
    expect(calls[0]!.payload).toEqual({ chat_id: 111, action: 'typing' });

    const text = `${P3.text}\n${SRC(3, 1)}\n\n${P2.text}\n${SRC(2, 2)}`;
    const q2 = P3.text.length + 1 + SRC(3, 1).length + 2;
    const h1 = sentence(P3.text, 'Its homemade Peklo cruise missile has entered series production.');
    const h2 = sentence(P2.text, 'Cities were struck with missiles and drones.');
    expect(calls[1]!.payload).toEqual({
      chat_id: 111,
      text,
      entities: [
        { type: 'blockquote', offset: 0, length: P3.text.length },
        { type: 'bold', ...h1 },
        { type: 'italic', offset: P3.text.length + 1, length: SRC(3, 1).length },
        { type: 'blockquote', offset: q2, length: P2.text.length },
        { type: 'bold', offset: q2 + h2.offset, length: h2.length },
        { type: 'italic', offset: q2 + P2.text.length + 1, length: SRC(2, 2).length },
      ],
      link_preview_options: { is_disabled: true },
      reply_parameters: { message_id: update.message.message_id, allow_sending_without_reply: true },
      reply_markup: {
        inline_keyboard: [
          [
            { text: 'Context 1', callback_data: `ctx:${P3.id}` },
            { text: 'Context 2', callback_data: `ctx:${P2.id}` },
          ],
        ],
      },
    });
  });

  it('shows at most RESULTS_PER_PAGE passages and a "More results" button when there are more', async () => {
    const searcher = createFakeSearcher();
    const h = createHarness(searcher);
    const calls = await h.send(textMessage('Ukraine grain sanctions defense drones'));
    const message = calls.find((c) => c.method === 'sendMessage')!.payload;
    expect(searcher.calls.at(-1)).toEqual({ question: 'Ukraine grain sanctions defense drones', options: { offset: 0, k: 3 } });
    expect(message.entities.filter((e: { type: string }) => e.type === 'blockquote')).toHaveLength(3);
    expect(message.text).toContain(P3.text);
    expect(message.text).toContain(P5.text);
    expect(message.text).toContain(P2.text);
    expect(message.reply_markup.inline_keyboard.at(-1)).toEqual([{ text: 'More results', callback_data: 'more:3' }]);
  });

  it('keeps HTML, Markdown and emoji from reports literal: entities only, no parse_mode', async () => {
    const h = createHarness(createFakeSearcher());
    const calls = await h.send(textMessage('What is the grain budget <b>&amp; *now*?'));
    const payload = calls.find((c) => c.method === 'sendMessage')!.payload;
    const notes2 = para(TRICKY_NOTES, 2);
    const source = '1. Report notes/budget · Budget <b>notes</b> & *stars* _under_ [brackets] 🚀 · ¶2';
    expect(payload.parse_mode).toBeUndefined();
    expect(payload.text.startsWith(`${notes2.text}\n${source}`)).toBe(true);
    const bold = payload.entities[1];
    expect(payload.text.slice(bold.offset, bold.offset + bold.length)).toBe('The grain budget is <b>€5 million</b> & rising 📈 fast.');
  });

  it('says plainly when the answer is not in the reports, with no quotes and no buttons', async () => {
    const h = createHarness(createFakeSearcher());
    const update = textMessage('xylophone quantum chromodynamics');
    const calls = await h.send(update);
    expect(methods(calls)).toEqual(['sendChatAction', 'sendMessage']);
    expect(calls[1]!.payload).toEqual({
      chat_id: 111,
      text: "I couldn't find this in the reports.\n\nThey cover, for example, Weekly, Budget. Try rephrasing with words the reports would use, or see /sources for what they cover.",
      link_preview_options: { is_disabled: true },
      reply_parameters: { message_id: update.message.message_id, allow_sending_without_reply: true },
    });
  });

  it('truncates very long questions for search and says so', async () => {
    const searcher = createFakeSearcher();
    const h = createHarness(searcher);
    const long = `Peklo cruise ${'missile production details '.repeat(60)}`;
    const calls = await h.send(textMessage(long));
    const searched = searcher.calls.at(-1)!.question;
    expect(searched.length).toBeLessThanOrEqual(300);
    expect(long.startsWith(searched)).toBe(true);
    const payload = calls.find((c) => c.method === 'sendMessage')!.payload;
    expect(payload.text.startsWith(`Your question was long, so I searched only its first ${searched.length} characters.\n\n`)).toBe(true);
    expect(payload.entities[0]).toEqual({ type: 'italic', offset: 0, length: payload.text.indexOf('\n') });
  });

  it('splits a long answer across messages at passage boundaries; every part replies to the question, buttons on the last', async () => {
    const paragraphs = Array.from({ length: 8 }, (_, i) => `Harbour report ${i}: ${'the harbour cranes were idle again. '.repeat(45)}`.trim());
    const report: FakeReport = { source: '007_harbour.txt', title: 'Harbour', text: `Harbour\n\n${paragraphs.join('\n\n')}\n` };
    const h = createHarness(createFakeSearcher([report]), { resultsPerPage: 8 });
    const update = textMessage('harbour cranes idle');
    const calls = await h.send(update);
    const sends = calls.filter((c) => c.method === 'sendMessage');
    expect(sends.length).toBeGreaterThan(1);
    const all = sends.map((s) => s.payload.text as string).join('\n\n');
    for (const p of paragraphs) expect(all).toContain(p);
    for (const [i, s] of sends.entries()) {
      expect(s.payload.text.length).toBeLessThanOrEqual(4096);
      expect(s.payload.reply_parameters).toEqual({ message_id: update.message.message_id, allow_sending_without_reply: true });
      expect(s.payload.reply_markup === undefined).toBe(i < sends.length - 1);
    }
  });

  it('answers non-text messages and unknown commands with a short hint', async () => {
    const h = createHarness(createFakeSearcher());
    const sticker = stickerMessage();
    const stickerCalls = await h.send(sticker);
    expect(stickerCalls).toEqual([
      {
        method: 'sendMessage',
        payload: {
          chat_id: 111,
          text: NON_TEXT_HINT,
          link_preview_options: { is_disabled: true },
          reply_parameters: { message_id: sticker.message!.message_id, allow_sending_without_reply: true },
        },
      },
    ]);
    const unknown = await h.send(textMessage('/frobnicate now'));
    expect(unknown.map((c) => c.payload.text)).toEqual([UNKNOWN_COMMAND]);
    const emptyAsk = await h.send(textMessage('/ask   '));
    expect(emptyAsk.map((c) => c.payload.text)).toEqual([EMPTY_QUESTION_HINT]);
  });
});

describe('commands', () => {
  it('/start and /help explain private, group (privacy mode) and inline usage', async () => {
    const h = createHarness(createFakeSearcher());
    for (const command of ['/start', '/help']) {
      const [call, ...rest] = await h.send(textMessage(command));
      expect(rest).toEqual([]);
      expect(call!.method).toBe('sendMessage');
      expect(call!.payload.text).toContain('quoting them word for word');
      expect(call!.payload.text).toContain('/ask <question>');
      expect(call!.payload.text).toContain("privacy mode on (the default), I only see commands and replies to my messages in groups");
      expect(call!.payload.text).toContain(`@${BOT_INFO.username} <question>`);
    }
  });

  it('/sources lists reports with labels from their paths, titles, dates, file names and passage counts', async () => {
    const h = createHarness(createFakeSearcher());
    const [call] = await h.send(textMessage('/sources'));
    expect(call!.payload.text).toBe(
      '2 indexed reports, newest first:\n\nReport 003 · Weekly roundup · no date · 003_weekly.txt · 4 passages\n\n' +
        'Report notes/budget · Budget <b>notes</b> & *stars* _under_ [brackets] 🚀 · no date · notes/budget.txt · 2 passages',
    );
    expect(call!.payload.entities).toEqual([{ type: 'bold', offset: 0, length: '2 indexed reports, newest first:'.length }]);
  });

  it('/sources puts the newest report first and links titles to their originals', async () => {
    const older = { ...WEEKLY_ROUNDUP, date: '2024-08-13' };
    const newer = { ...TRICKY_NOTES, date: '2024-08-20', url: 'https://example.org/budget' };
    const [call] = await createHarness(createFakeSearcher([older, newer])).send(textMessage('/sources'));
    const text: string = call!.payload.text;
    expect(text.indexOf('20 Aug 2024 · notes/budget.txt')).toBeGreaterThan(0);
    expect(text.indexOf('20 Aug 2024')).toBeLessThan(text.indexOf('13 Aug 2024 · 003_weekly.txt'));
    const links = call!.payload.entities.filter((e: { type: string }) => e.type === 'text_link');
    expect(links).toHaveLength(1);
    expect(text.slice(links[0].offset, links[0].offset + links[0].length)).toBe(TRICKY_NOTES.title);
    expect(links[0].url).toBe('https://example.org/budget');
  });

  it('/latest shows the newest report with its date, linked title and three passages, verbatim and sourced', async () => {
    const older = { ...TRICKY_NOTES, date: '2024-08-13' };
    const newer = { ...WEEKLY_ROUNDUP, date: '2024-08-20', url: 'https://example.org/weekly' };
    const searcher = createFakeSearcher([older, newer]);
    const [call] = await createHarness(searcher).send(textMessage('/latest'));
    const text: string = call!.payload.text;
    expect(text.startsWith('Latest report: Weekly roundup · 20 Aug 2024 · Report 003\n\n')).toBe(true);
    const quotes = call!.payload.entities.filter((e: { type: string }) => e.type === 'blockquote' || e.type === 'expandable_blockquote');
    expect(quotes).toHaveLength(3);
    for (const q of quotes) expect(WEEKLY_ROUNDUP.text).toContain(text.slice(q.offset, q.offset + q.length));
    expect(text).toContain('Report 003 · Weekly roundup · 20 Aug 2024 · ¶2');
    const links = call!.payload.entities.filter((e: { type: string }) => e.type === 'text_link');
    expect(links.length).toBe(4);
    for (const l of links) expect([l.url, text.slice(l.offset, l.offset + l.length)]).toEqual(['https://example.org/weekly', 'Weekly roundup']);
  });

  it('/latest says so when no report has a date', async () => {
    const [call] = await createHarness(createFakeSearcher()).send(textMessage('/latest'));
    expect(call!.payload.text).toMatch(/^None of the reports has a date, so I cannot tell which one is the latest\./);
  });

  it('/about shows index stats, model and build time; the index folder only for admins', async () => {
    const h = createHarness(createFakeSearcher(), {
      access: { allowedUserIds: new Set(), allowedChatIds: new Set(), adminUserIds: new Set([9]) },
    });
    const [call] = await h.send(textMessage('/about', { from: user(111) }));
    expect(call!.payload.text).toBe(
      'About this index\n\nReports: 2\nPassages: 6\nEmbedding model: fake/term-overlap (built-in offline model), 0 dimensions\nIndex built: 2024-01-02T03:04:05.000Z\nBuild: 20240102T030405Z-fake01',
    );
    const [admin] = await h.send(textMessage('/about', { from: user(9) }));
    expect(admin!.payload.text.endsWith('\nIndex folder: /tmp/fake-index\nReports folder: /tmp/fake-reports\nSearch weights: the fake profile, fitted for this model')).toBe(true);
    expect(call!.payload.text).not.toContain('Search weights');
  });

  it('/about tells admins when the search weights were not fitted for the index\'s model, and how to fit them', async () => {
    const fake = createFakeSearcher();
    const searcher = { ...fake, stats: () => ({ ...fake.stats(), modelId: 'Xenova/bge-small-en-v1.5', offlineModel: false, searchProfile: 'offline', profileFitted: false }) };
    const h = createHarness(searcher, { access: { allowedUserIds: new Set(), allowedChatIds: new Set(), adminUserIds: new Set([9]) } });
    const [admin] = await h.send(textMessage('/about', { from: user(9) }));
    expect(admin!.payload.text).toContain(
      'Search weights: the offline profile, not fitted for this model (fit its own: npm run eval -- fit-ranker --model Xenova/bge-small-en-v1.5 --write)',
    );
  });
});

describe('groups', () => {
  const group = groupChat(-100123);

  it('ignores ordinary chatter, stickers, other bots\' commands and replies to other people', async () => {
    const h = createHarness(createFakeSearcher());
    const someone = textMessage('Peklo missile?', { chat: group, from: user(5) }).message;
    for (const update of [
      textMessage('Peklo cruise missile production, anyone?', { chat: group }),
      textMessage('/ask@other_bot Peklo cruise missile', { chat: group }),
      textMessage('I agree about the Peklo missile', { chat: group, replyTo: someone }),
      stickerMessage({ chat: group }),
    ]) {
      expect(await h.send(update)).toEqual([]);
    }
  });

  it('answers /ask and /ask@botname, replying to the asking message', async () => {
    const searcher = createFakeSearcher();
    const h = createHarness(searcher);
    for (const text of ['/ask Which sanctions package did the EU adopt?', `/ask@${BOT_INFO.username} Which sanctions package did the EU adopt?`]) {
      const update = textMessage(text, { chat: group });
      const calls = await h.send(update);
      expect(methods(calls)).toEqual(['sendChatAction', 'sendMessage']);
      expect(searcher.calls.at(-1)!.question).toBe('Which sanctions package did the EU adopt?');
      expect(calls[1]!.payload.chat_id).toBe(group.id);
      expect(calls[1]!.payload.text.startsWith(`${P4.text}\n${SRC(4, 1)}`)).toBe(true);
      expect(calls[1]!.payload.reply_parameters).toEqual({ message_id: update.message.message_id, allow_sending_without_reply: true });
    }
  });

  it('answers messages that mention the bot (mention removed) and replies to the bot\'s own messages', async () => {
    const searcher = createFakeSearcher();
    const h = createHarness(searcher);
    const mention = await h.send(textMessage(`@${BOT_INFO.username} which sanctions package did the EU adopt?`, { chat: group }));
    expect(methods(mention)).toEqual(['sendChatAction', 'sendMessage']);
    expect(searcher.calls.at(-1)!.question).toBe('which sanctions package did the EU adopt?');

    const ours = botMessage('an earlier answer', group, 777);
    const reply = textMessage('and the promised air defense systems?', { chat: group, replyTo: ours });
    const calls = await h.send(reply);
    expect(methods(calls)).toEqual(['sendChatAction', 'sendMessage']);
    expect(calls[1]!.payload.text.startsWith(`${P5.text}\n${SRC(5, 1)}`)).toBe(true);
    expect(calls[1]!.payload.reply_parameters.message_id).toBe(reply.message.message_id);
  });
});

describe('buttons', () => {
  const chat = privateChat(111);

  it('"More results" recovers the question from the replied-to message and sends the next page', async () => {
    const searcher = createFakeSearcher();
    const h = createHarness(searcher);
    const question = textMessage('Ukraine grain sanctions defense drones').message;
    const answer = botMessage('first page', chat, 9100, question);
    const press = callbackQuery('more:3', answer);
    const calls = await h.send(press);
    expect(methods(calls)).toEqual(['answerCallbackQuery', 'sendChatAction', 'sendMessage']);
    expect(calls[0]!.payload).toEqual({ callback_query_id: press.callback_query!.id });
    expect(searcher.calls.at(-1)).toEqual({ question: 'Ukraine grain sanctions defense drones', options: { offset: 3, k: 3 } });
    const payload = calls[2]!.payload;
    expect(payload.text.startsWith(`More results (4–6):\n\n${P4.text}\n${SRC(4, 4)}`)).toBe(true);
    expect(payload.reply_parameters).toEqual({ message_id: question.message_id, allow_sending_without_reply: true });
    expect(payload.reply_markup.inline_keyboard).toEqual([
      [
        { text: 'Context 4', callback_data: `ctx:${P4.id}` },
        { text: 'Context 5', callback_data: `ctx:${para(TRICKY_NOTES, 2).id}` },
        { text: 'Context 6', callback_data: `ctx:${para(TRICKY_NOTES, 3).id}` },
      ],
    ]);
  });

  it('"Context N" shows the surrounding paragraphs with the passage bold, replying to the answer', async () => {
    const h = createHarness(createFakeSearcher());
    const answer = botMessage('answer', chat, 9200);
    const calls = await h.send(callbackQuery(`ctx:${P3.id}`, answer));
    expect(methods(calls)).toEqual(['answerCallbackQuery', 'sendMessage']);
    const windowText = WEEKLY_ROUNDUP.text.slice(P2.start, P4.start + P4.text.length);
    const header = 'Context (the quoted passage in bold):';
    const q = header.length + 2;
    expect(calls[1]!.payload).toEqual({
      chat_id: 111,
      text: `${header}\n\n${windowText}\n${SRC(3)}`,
      entities: [
        { type: 'italic', offset: 0, length: header.length },
        { type: 'blockquote', offset: q, length: windowText.length },
        { type: 'bold', offset: q + windowText.indexOf(P3.text), length: P3.text.length },
        { type: 'italic', offset: q + windowText.length + 1, length: SRC(3).length },
      ],
      link_preview_options: { is_disabled: true },
      reply_parameters: { message_id: 9200, allow_sending_without_reply: true },
    });
  });

  it('old, forged or orphaned buttons say politely that they expired', async () => {
    const h = createHarness(createFakeSearcher());
    const answerWithoutQuestion = botMessage('answer', chat, 9300);
    const cases: Array<[string, string]> = [
      ['page:2', BUTTON_EXPIRED],
      ['more:3', BUTTON_EXPIRED],
      ['ctx:ffffffffffff', PASSAGE_GONE],
    ];
    for (const [data, text] of cases) {
      const press = callbackQuery(data, answerWithoutQuestion);
      expect(await h.send(press)).toEqual([
        { method: 'answerCallbackQuery', payload: { callback_query_id: press.callback_query!.id, text } },
      ]);
    }
  });
});

describe('buttons without data and captions', () => {
  it('answers a button press that carries no data, so the client stops spinning', async () => {
    const h = createHarness(createFakeSearcher());
    const press = emptyCallbackQuery(botMessage('answer', privateChat(111), 9400));
    expect(await h.send(press)).toEqual([{ method: 'answerCallbackQuery', payload: { callback_query_id: press.callback_query!.id, text: BUTTON_EXPIRED } }]);
  });

  it('reads the caption of a photo as the question, in private and with /ask in a group', async () => {
    const h = createHarness(createFakeSearcher());
    const privateCalls = await h.send(photoMessage('How many Peklo cruise missiles were produced?'));
    expect(methods(privateCalls).sort()).toEqual(['sendChatAction', 'sendMessage']);
    expect(privateCalls.find((c) => c.method === 'sendMessage')!.payload.text.startsWith(P3.text)).toBe(true);
    const groupCalls = await h.send(photoMessage('/ask Which sanctions package did the EU adopt?', { chat: groupChat(-100321) }));
    expect(groupCalls.find((c) => c.method === 'sendMessage')!.payload.text.startsWith(P4.text)).toBe(true);
    const mentioned = await h.send(photoMessage(`@${BOT_INFO.username} Peklo cruise missile?`, { chat: groupChat(-100321) }));
    expect(mentioned.find((c) => c.method === 'sendMessage')!.payload.text.startsWith(P3.text)).toBe(true);
    expect(await h.send(photoMessage('holiday snaps', { chat: groupChat(-100321) }))).toEqual([]);
  });
});

describe('the user\'s language', () => {
  const uk = wordsFor('uk');
  const ru = wordsFor('ru');

  it('a language_code "uk" user gets Ukrainian frame text and buttons; quotes stay verbatim', async () => {
    const h = createHarness(createFakeSearcher());
    const notFound = await h.send(textMessage('xylophone quantum chromodynamics', { from: user(501, 'Оксана', 'uk') }));
    expect(notFound.find((c) => c.method === 'sendMessage')!.payload.text).toBe(`${uk('answer-not-found')}\n\n${uk('answer-not-found-topics', { topics: 'Weekly, Budget' })} ${uk('answer-not-found-hint')}`);
    expect(uk('answer-not-found')).toBe('Я не знайшов цього у звітах.');
    const answer = (await h.send(textMessage('Ukraine grain sanctions defense drones', { from: user(501, 'Оксана', 'uk') }))).find((c) => c.method === 'sendMessage')!;
    expect(answer.payload.text.startsWith(P5.text) || answer.payload.text.startsWith(P4.text) || answer.payload.text.includes(P3.text)).toBe(true);
    const buttons = answer.payload.reply_markup.inline_keyboard.flat().map((b: { text: string }) => b.text);
    expect(buttons).toContain('Контекст 1');
    expect(buttons).toContain('Ще результати');
    const help = (await h.send(textMessage('/help', { from: user(501, 'Оксана', 'uk') })))[0]!;
    expect(help.payload.text.startsWith(uk('help-intro'))).toBe(true);
  });

  it('a Russian user gets Russian words, other languages get English', async () => {
    const h = createHarness(createFakeSearcher());
    const sticker = await h.send(stickerMessage({ from: user(502, 'Иван', 'ru') }));
    expect(sticker[0]!.payload.text).toBe(ru('non-text-hint'));
    const german = await h.send(stickerMessage({ from: user(503, 'Jonas', 'de') }));
    expect(german[0]!.payload.text).toBe(NON_TEXT_HINT);
    const unset = await h.send(stickerMessage({ from: user(504) }));
    expect(unset[0]!.payload.text).toBe(NON_TEXT_HINT);
  });

  it('a Cyrillic question gets a note, in the user\'s language, that the reports are in English', async () => {
    const h = createHarness(createFakeSearcher());
    const calls = await h.send(textMessage('Що з ракетою Пекло?', { from: user(505, 'Оксана', 'uk') }));
    const sent = calls.find((c) => c.method === 'sendMessage')!;
    expect(sent.payload.text.startsWith(uk('answer-reports-in-english'))).toBe(true);
    expect(sent.payload.entities[0]).toEqual({ type: 'italic', offset: 0, length: uk('answer-reports-in-english').length });
    const english = await h.send(textMessage('Peklo cruise missile?', { from: user(505, 'Оксана', 'uk') }));
    expect(english.find((c) => c.method === 'sendMessage')!.payload.text).not.toContain(uk('answer-reports-in-english'));
  });
});

describe('inline mode', () => {
  it('answers empty or very short queries with one help article', async () => {
    const h = createHarness(createFakeSearcher());
    for (const q of ['', 'ab']) {
      const [call, ...rest] = await h.send(inlineQuery(q));
      expect(rest).toEqual([]);
      expect(call!.method).toBe('answerInlineQuery');
      expect(call!.payload.cache_time).toBe(3600);
      expect(call!.payload.results).toHaveLength(1);
      expect(call!.payload.results[0].id).toBe('help');
      expect(call!.payload.results[0].input_message_content.message_text).toContain(`@${BOT_INFO.username} <question>`);
    }
  });

  it('returns up to 10 quote articles: report title, highlighted sentence, formatted quote with source', async () => {
    const h = createHarness(createFakeSearcher());
    const [call] = await h.send(inlineQuery('air defense systems Ukraine'));
    const results = call!.payload.results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(10);
    const h5 = sentence(P5.text, 'Ukraine still does not have the promised air defense systems, officials said.');
    expect(results[0]).toEqual({
      type: 'article',
      id: `0:${P5.id}`,
      title: 'Weekly roundup',
      description: 'Ukraine still does not have the promised air defense systems, officials said.',
      input_message_content: {
        message_text: `${P5.text}\n${SRC(5, 1)}`,
        entities: [
          { type: 'blockquote', offset: 0, length: P5.text.length },
          { type: 'bold', ...h5 },
          { type: 'italic', offset: P5.text.length + 1, length: SRC(5, 1).length },
        ],
        link_preview_options: { is_disabled: true },
      },
    });
    expect(call!.payload.cache_time).toBe(300);
  });

  it('returns one "not in the reports" article when nothing answers, personal since it is in the asker\'s language', async () => {
    const h = createHarness(createFakeSearcher());
    const [call] = await h.send(inlineQuery('xylophone quantum'));
    expect(call!.payload.results.map((r: { id: string; title: string }) => [r.id, r.title])).toEqual([['not-found', 'Not in the reports']]);
    expect(call!.payload.is_personal).toBe(true);
    const [uk] = await h.send(inlineQuery('xylophone quantum', user(506, 'Оксана', 'uk')));
    expect(uk!.payload.results[0].title).toBe(wordsFor('uk')('inline-not-found-title'));
  });

  it('with an allow-list set, every inline answer is personal and cached briefly', async () => {
    const h = createHarness(createFakeSearcher(), { access: { allowedUserIds: new Set([7]), allowedChatIds: new Set(), adminUserIds: new Set([9]) } });
    const answers = [];
    for (const [query, from] of [['air defense systems Ukraine', user(7)], ['xylophone quantum', user(7)], ['', user(9)], ['Peklo cruise missile', user(9)]] as const) {
      const [call, ...rest] = await h.send(inlineQuery(query, from));
      expect(rest).toEqual([]);
      answers.push(call!);
    }
    expect(answers.map((c) => c.payload.results.length > 0)).toEqual([true, true, true, true]);
    for (const call of answers) {
      expect(call.payload.is_personal).toBe(true);
      expect(call.payload.cache_time).toBeLessThanOrEqual(PRIVATE_CACHE_SECONDS);
    }
  });
});

describe('access control', () => {
  const lists = { allowedUserIds: new Set([7]), allowedChatIds: new Set([-100500]), adminUserIds: new Set([9]) };

  it('refuses strangers once in private, ignores them in groups and gives them no inline results', async () => {
    const h = createHarness(createFakeSearcher(), { access: lists });
    const first = await h.send(textMessage('Peklo cruise missile?', { from: user(8) }));
    expect(first.map((c) => [c.method, c.payload.text])).toEqual([['sendMessage', REFUSAL]]);
    expect(await h.send(textMessage('Peklo cruise missile?', { from: user(8) }))).toEqual([]);
    expect(await h.send(textMessage('/ask Peklo cruise missile', { from: user(8), chat: groupChat(-100999) }))).toEqual([]);
    const inline = await h.send(inlineQuery('Peklo cruise missile', user(8)));
    expect(inline).toEqual([{ method: 'answerInlineQuery', payload: { inline_query_id: expect.any(String), results: [], cache_time: 0, is_personal: true } }]);
  });

  it('lets listed users, admins and members of listed chats ask', async () => {
    const h = createHarness(createFakeSearcher(), { access: lists });
    for (const update of [
      textMessage('Peklo cruise missile?', { from: user(7) }),
      textMessage('Peklo cruise missile?', { from: user(9) }),
      textMessage('/ask Peklo cruise missile', { from: user(8), chat: groupChat(-100500) }),
    ]) {
      expect(methods(await h.send(update))).toEqual(['sendChatAction', 'sendMessage']);
    }
  });
});

describe('rate limiting', () => {
  it('answers up to RATE_LIMIT questions per minute, then one polite note, then silence; admins are exempt', async () => {
    const h = createHarness(createFakeSearcher(), {
      rateLimit: 2,
      access: { allowedUserIds: new Set(), allowedChatIds: new Set(), adminUserIds: new Set([9]) },
    });
    const ask = () => h.send(textMessage('Peklo cruise missile?', { from: user(50) }));
    expect(methods(await ask())).toEqual(['sendChatAction', 'sendMessage']);
    expect(methods(await ask())).toEqual(['sendChatAction', 'sendMessage']);
    const third = await ask();
    expect(third.map((c) => c.payload.text)).toEqual([RATE_LIMITED]);
    expect(await ask()).toEqual([]);
    // Commands are not questions and still work.
    expect(methods(await h.send(textMessage('/help', { from: user(50) })))).toEqual(['sendMessage']);
    for (let i = 0; i < 4; i++) {
      expect(methods(await h.send(textMessage('Peklo cruise missile?', { from: user(9) })))).toEqual(['sendChatAction', 'sendMessage']);
    }
  });
});

describe('error boundary', () => {
  it('maps failures to a short message by code and keeps handling later updates', async () => {
    const searcher = createFakeSearcher();
    const h = createHarness(searcher);
    searcher.failNext(new IndexError('INDEX_CORRUPT', 'manifest unreadable'));
    const update = textMessage('Peklo cruise missile?');
    const calls = await h.send(update);
    expect(calls.at(-1)).toEqual({
      method: 'sendMessage',
      payload: {
        chat_id: 111,
        text: "The reports index isn't available right now. Please try again in a little while.",
        reply_parameters: { message_id: update.message.message_id, allow_sending_without_reply: true },
      },
    });
    searcher.failNext(new Error('something internal at /srv/secret/path'));
    const generic = await h.send(textMessage('Peklo cruise missile?'));
    expect(generic.at(-1)!.payload.text).toBe('Sorry, something went wrong while answering. Please try again.');
    expect(methods(await h.send(textMessage('Peklo cruise missile?')))).toEqual(['sendChatAction', 'sendMessage']);
  });

  it('reports a failing "More results" in the chat (the button was already answered)', async () => {
    const searcher = createFakeSearcher();
    const h = createHarness(searcher);
    const question = textMessage('Ukraine grain sanctions defense drones').message;
    searcher.failNext(new Error('boom'));
    const calls = await h.send(callbackQuery('more:3', botMessage('page', privateChat(111), 9400, question)));
    expect(methods(calls)).toEqual(['answerCallbackQuery', 'sendChatAction', 'sendMessage']);
    expect(calls[2]!.payload.text).toBe('Sorry, something went wrong while answering. Please try again.');
  });
});

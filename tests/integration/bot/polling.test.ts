/**
 * The real bot (createBot + startPolling with @grammyjs/runner) against the fake Bot API over HTTP.
 */
import type { Message } from 'grammy/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { botCommands } from '../../../src/bot/commands';
import { englishWords, wordsFor } from '../../../src/i18n/words';
import { createBot } from '../../../src/bot/create-bot';
import { startPolling, type PollingHandle } from '../../../src/bot/run-polling';
import { createLogger } from '../../../src/logger';
import type { Searcher } from '../../../src/search/types';
import { FakeBotApi, type RecordedCall } from '../../helpers/fake-bot-api';
import { createFakeSearcher, weeklyParagraph } from '../../helpers/fake-searcher';
import { captureLogs } from '../../helpers/logs';
import { BOT_INFO, callbackQuery, groupChat, inlineQuery, stickerMessage, NO_ACCESS_LISTS, TEST_TOKEN, textMessage, user } from '../../helpers/updates';

async function startBot(api: FakeBotApi, searcher: Searcher, logs = captureLogs()): Promise<PollingHandle> {
  const logger = createLogger({ level: 'debug', secrets: [TEST_TOKEN], destination: logs.stream });
  const bot = createBot({ token: TEST_TOKEN, apiRoot: api.apiRoot, searcher, logger, resultsPerPage: 3, rateLimit: 20, access: NO_ACCESS_LISTS });
  return startPolling(bot, { logger, pollTimeoutSeconds: 1, drainTimeoutMs: 5000 });
}

/** Calls from `mark` on, without polling. */
function callsSince(api: FakeBotApi, mark: number): Array<Pick<RecordedCall, 'method' | 'payload'>> {
  return api.calls.slice(mark).filter((c) => c.method !== 'getUpdates').map((c) => ({ method: c.method, payload: c.payload }));
}

describe('polling against the fake Bot API', () => {
  let api: FakeBotApi;
  let polling: PollingHandle;
  const logs = captureLogs();

  beforeAll(async () => {
    api = await FakeBotApi.start({ maxPollMs: 500 });
    polling = await startBot(api, createFakeSearcher(), logs);
  });

  afterAll(async () => {
    await polling.stop();
    await api.close();
  });

  it('initialises with getMe, deleteWebhook and the command menu in each language, then long-polls for the three update types', async () => {
    await api.waitFor(() => api.callsOf('getUpdates').length > 0, 5000, 'the first poll');
    expect(api.calls.slice(0, 6).map((c) => [c.method, c.payload])).toEqual([
      ['getMe', {}],
      ['deleteWebhook', { drop_pending_updates: false }],
      ['setMyCommands', { commands: botCommands(englishWords()) }],
      ['setMyCommands', { commands: botCommands(wordsFor('uk')), language_code: 'uk' }],
      ['setMyCommands', { commands: botCommands(wordsFor('ru')), language_code: 'ru' }],
      ['getUpdates', { timeout: 1, allowed_updates: ['message', 'callback_query', 'inline_query'], offset: 0, limit: 100 }],
    ]);
  });

  it('answers a private question: typing, then the quoted answer replying to the question', async () => {
    const mark = api.calls.length;
    const [update] = api.enqueue(textMessage('How many Peklo cruise missiles were produced?', { from: user(201) }));
    await api.waitFor(() => api.okCalls('sendMessage').some((c) => c.payload.chat_id === 201), 5000, 'the answer');
    const p3 = weeklyParagraph(3);
    const p2 = weeklyParagraph(2);
    const calls = callsSince(api, mark);
    expect(calls.map((c) => c.method)).toEqual(['sendChatAction', 'sendMessage']);
    expect(calls[0]!.payload).toEqual({ chat_id: 201, action: 'typing' });
    const sent = calls[1]!.payload;
    expect(sent.text).toBe(`${p3.text}\n1. Report 003 · Weekly roundup · ¶3\n\n${p2.text}\n2. Report 003 · Weekly roundup · ¶2`);
    expect(sent.entities[0]).toEqual({ type: 'blockquote', offset: 0, length: p3.text.length });
    const bold = sent.entities[1];
    expect(sent.text.slice(bold.offset, bold.offset + bold.length)).toBe('Its homemade Peklo cruise missile has entered series production.');
    expect(sent.reply_parameters).toEqual({ message_id: update!.message!.message_id, allow_sending_without_reply: true });
    expect(sent.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Context 1', callback_data: `ctx:${p3.id}` }, { text: 'Context 2', callback_data: `ctx:${p2.id}` }]],
    });
    expect(sent.parse_mode).toBeUndefined();
  });

  it('answers a group /ask@botname and ignores the chatter before it', async () => {
    const group = groupChat(-100777);
    const mark = api.calls.length;
    const [, ask] = api.enqueue(
      textMessage('lovely weather for Peklo cruise missile production', { chat: group }),
      textMessage(`/ask@${BOT_INFO.username} Which sanctions package did the EU adopt?`, { chat: group }),
    );
    await api.waitFor(() => api.okCalls('sendMessage').some((c) => c.payload.chat_id === group.id), 5000, 'the group answer');
    const calls = callsSince(api, mark);
    expect(calls.map((c) => [c.method, c.payload.chat_id])).toEqual([
      ['sendChatAction', group.id],
      ['sendMessage', group.id],
    ]);
    expect(calls[1]!.payload.text.startsWith(`${weeklyParagraph(4).text}\n1. Report 003 · Weekly roundup · ¶4`)).toBe(true);
    expect(calls[1]!.payload.reply_parameters).toEqual({ message_id: ask!.message!.message_id, allow_sending_without_reply: true });
  });

  it('answers an inline query with article results', async () => {
    const mark = api.calls.length;
    const [update] = api.enqueue(inlineQuery('promised air defense systems', user(202)));
    await api.waitFor(() => api.okCalls('answerInlineQuery').length > 0 && api.calls.length > mark, 5000, 'inline answer');
    const calls = callsSince(api, mark);
    expect(calls.map((c) => c.method)).toEqual(['answerInlineQuery']);
    const payload = calls[0]!.payload;
    expect(payload.inline_query_id).toBe(update!.inline_query!.id);
    expect(payload.cache_time).toBe(300);
    expect(payload.results[0]).toMatchObject({
      type: 'article',
      id: `0:${weeklyParagraph(5).id}`,
      title: 'Weekly roundup',
      description: 'Ukraine still does not have the promised air defense systems, officials said.',
      input_message_content: { message_text: `${weeklyParagraph(5).text}\n1. Report 003 · Weekly roundup · ¶5` },
    });
  });

  it('serves "More results" from the button on a sent answer', async () => {
    const question = api.enqueue(textMessage('Ukraine grain sanctions defense drones', { from: user(203) }))[0]!.message as Message.TextMessage;
    const answerCall = await api.waitFor(() => api.okCalls('sendMessage').find((c) => c.payload.chat_id === 203), 5000, 'first page');
    expect(answerCall.payload.reply_markup.inline_keyboard.at(-1)).toEqual([{ text: 'More results', callback_data: 'more:3' }]);
    const answer = { ...(answerCall.result as Message.TextMessage), reply_to_message: question } as Message;
    const mark = api.calls.length;
    const [press] = api.enqueue(callbackQuery('more:3', answer, user(203)));
    await api.waitFor(() => api.okCalls('sendMessage').filter((c) => c.payload.chat_id === 203).length === 2, 5000, 'second page');
    const calls = callsSince(api, mark);
    expect(calls.map((c) => c.method)).toEqual(['answerCallbackQuery', 'sendChatAction', 'sendMessage']);
    expect(calls[0]!.payload).toEqual({ callback_query_id: press!.callback_query!.id });
    expect(calls[2]!.payload.text.startsWith(`More results (4–6):\n\n${weeklyParagraph(4).text}`)).toBe(true);
    expect(calls[2]!.payload.reply_parameters).toEqual({ message_id: question.message_id, allow_sending_without_reply: true });
  });

  it('replies to a sticker with a short hint', async () => {
    const mark = api.calls.length;
    const [update] = api.enqueue(stickerMessage({ from: user(204) }));
    await api.waitFor(() => api.okCalls('sendMessage').some((c) => c.payload.chat_id === 204), 5000, 'hint');
    expect(callsSince(api, mark)).toEqual([
      {
        method: 'sendMessage',
        payload: {
          chat_id: 204,
          text: englishWords()('non-text-hint'),
          link_preview_options: { is_disabled: true },
          reply_parameters: { message_id: update!.message!.message_id, allow_sending_without_reply: true },
        },
      },
    ]);
  });

  it('says plainly when a question is not answered by the reports', async () => {
    const mark = api.calls.length;
    api.enqueue(textMessage('xylophone quantum chromodynamics', { from: user(205) }));
    await api.waitFor(() => api.okCalls('sendMessage').some((c) => c.payload.chat_id === 205), 5000, 'not-found answer');
    const calls = callsSince(api, mark);
    expect(calls.map((c) => c.method)).toEqual(['sendChatAction', 'sendMessage']);
    expect(calls[1]!.payload.text).toBe(
      "I couldn't find this in the reports.\n\nThey cover, for example, Weekly, Budget. Try rephrasing with words the reports would use, or see /sources for what they cover.",
    );
    expect(calls[1]!.payload.entities).toBeUndefined();
    expect(calls[1]!.payload.reply_markup).toBeUndefined();
  });

  it('shows the closest passages under an honest line when it is unsure', async () => {
    const mark = api.calls.length;
    // One word the reports use ("Peklo") among words they don't: the subject, but no clear answer.
    api.enqueue(textMessage('Peklo xylophone chromodynamics', { from: user(206) }));
    await api.waitFor(() => api.okCalls('sendMessage').some((c) => c.payload.chat_id === 206), 5000, 'unsure answer');
    const calls = callsSince(api, mark);
    expect(calls.map((c) => c.method)).toEqual(['sendChatAction', 'sendMessage']);
    const sent = calls[1]!.payload;
    expect(sent.text.startsWith('Not sure these answer it — the closest passages:\n\n')).toBe(true);
    expect(sent.entities[0]).toEqual({ type: 'italic', offset: 0, length: 'Not sure these answer it — the closest passages:'.length });
    expect(sent.text).toContain(`${weeklyParagraph(3).text}\n1. Report 003 · Weekly roundup · ¶3`);
    expect(sent.entities.some((e: { type: string }) => e.type === 'blockquote')).toBe(true);
  });

  it('never logs the token or a Bot API URL', () => {
    const all = logs.lines.join('');
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(all).not.toContain(TEST_TOKEN);
    expect(all).not.toContain(`bot${TEST_TOKEN.split(':')[0]}`);
  });
});

describe('resilience and shutdown', () => {
  let api: FakeBotApi;
  let polling: PollingHandle | null = null;

  afterEach(async () => {
    await polling?.stop();
    polling = null;
    await api.close();
  });

  it('retries 429 (after retry_after) and 500 (auto-retry) and answers exactly once', async () => {
    api = await FakeBotApi.start({ maxPollMs: 500 });
    polling = await startBot(api, createFakeSearcher());
    api.failNext('sendMessage', 'rate-limited');
    api.failNext('sendMessage', 'server-error');
    api.enqueue(textMessage('Peklo cruise missile?', { from: user(301) }));
    await api.waitFor(() => api.okCalls('sendMessage').length === 1, 15_000, 'the retried answer');
    const attempts = api.callsOf('sendMessage');
    expect(attempts.map((c) => c.outcome)).toEqual(['rate-limited', 'server-error', 'ok']);
    // retry_after is 1 s; the 429 retry must not come sooner.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(new Set(attempts.map((c) => JSON.stringify(c.payload))).size).toBe(1);
  }, 20_000);

  it('keeps polling after an update fails, and tells that user briefly', async () => {
    api = await FakeBotApi.start({ maxPollMs: 500 });
    const searcher = createFakeSearcher();
    polling = await startBot(api, searcher);
    searcher.failNext(new Error('disk on fire at /var/secret'));
    api.enqueue(textMessage('Peklo cruise missile?', { from: user(302) }), textMessage('Peklo cruise missile?', { from: user(302) }));
    await api.waitFor(() => api.okCalls('sendMessage').length === 2, 5000, 'both replies');
    const texts = api.okCalls('sendMessage').map((c) => c.payload.text as string);
    expect(texts[0]).toBe('Sorry, something went wrong while answering. Please try again.');
    expect(texts[1]!.startsWith(weeklyParagraph(3).text)).toBe(true);
  });

  it('stop() lets in-flight updates finish and confirms them so they are not redelivered', async () => {
    api = await FakeBotApi.start({ maxPollMs: 500 });
    const inner = createFakeSearcher();
    const slow: Searcher = {
      ...inner,
      search: async (q, o) => {
        await new Promise((r) => setTimeout(r, 300));
        return inner.search(q, o);
      },
    };
    const handle = await startBot(api, slow);
    const [update] = api.enqueue(textMessage('Peklo cruise missile?', { from: user(303) }));
    await api.waitFor(() => api.okCalls('sendChatAction').length === 1, 5000, 'work to start');
    expect(api.okCalls('sendMessage')).toHaveLength(0);
    await handle.stop();
    expect(api.okCalls('sendMessage')).toHaveLength(1);
    const lastPoll = api.callsOf('getUpdates').at(-1)!;
    expect(lastPoll.payload).toMatchObject({ offset: update!.update_id + 1, timeout: 0 });
    expect(api.pendingUpdates()).toBe(0);
  });
});

/**
 * Hot reload and admin commands through the real bot (createBot + runner) against the fake Bot API,
 * wired as src/main.ts wires them: a live searcher over a real index folder, /reindex backed by
 * reindexLive, and reload failures sent to every admin.
 */
import { cp, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLiveSearcher, reindexLive } from '../../../src/app';
import { createBot } from '../../../src/bot/create-bot';
import { notifyAdmins, reloadFailedBlocks } from '../../../src/bot/features/admin';
import { englishWords } from '../../../src/i18n/words';
import { startPolling, type PollingHandle } from '../../../src/bot/run-polling';
import type { Embedder } from '../../../src/embed/types';
import { createLogger } from '../../../src/logger';
import type { LiveSearcher } from '../../../src/search/live-searcher';
import { createSearcher } from '../../../src/search/searcher';
import { buildIndex } from '../../../src/store/build-index';
import { FILES, newBuildId, publishBuild } from '../../../src/store/layout';
import { loadIndex } from '../../../src/store/load-index';
import { acquireBuildLock } from '../../../src/store/lock';
import { EXTRA_REPORT, writeReports } from '../../helpers/extra-report';
import { FakeBotApi, type RecordedCall } from '../../helpers/fake-bot-api';
import { getOfflineEmbedder } from '../../helpers/offline-embedder';
import { useTempDirs } from '../../helpers/temp-dir';
import { TEST_TOKEN, textMessage, user } from '../../helpers/updates';

const tempDir = useTempDirs();
const ADMINS = [9001, 9002];
// Short, so a swap is noticed within a fraction of the stream even if fs.watch misses an event.
const POLL_MS = 100;
const EDIT_INTERVAL_MS = 300;
// Sending order and network jitter shift when the fake server sees an edit by a few ms.
const EDIT_JITTER_MS = 60;
const ERROR_TEXTS = /something went wrong|isn't available|temporarily unavailable/;
// Questions the seed reports answer with confidence, so every reply carries quotes.
const QUESTIONS = [
  'What did NATO promise about air defense?',
  'What happened in the Kursk region?',
  'Why does the White House want the minerals deal?',
  'Who is the new deputy defense minister for combat aviation?',
  'Why were people protesting outside the Georgian parliament?',
];

interface Running {
  api: FakeBotApi;
  live: LiveSearcher;
  polling: PollingHandle;
  indexDir: string;
  reportsDir: string;
  reloadsAt: number[];
}

let running: Running | null = null;
afterEach(async () => {
  if (running === null) return;
  await running.polling.stop();
  await running.live.close();
  await running.api.close();
  running = null;
});

/** The same model, answering every call `delayMs` later: a build as slow as with a real hub model. */
function slowed(embedder: Embedder, delayMs: number): Embedder {
  const pause = (): Promise<void> => new Promise((r) => setTimeout(r, delayMs));
  return {
    info: embedder.info,
    embedQuery: async (text) => (await pause(), embedder.embedQuery(text)),
    embedPassages: async (texts, onProgress) => (await pause(), embedder.embedPassages(texts, onProgress)),
  };
}

/** Builds an index of the seeds and starts the bot over it, wired like src/main.ts. `/reindex` embeds with `buildDelayMs` per call. */
async function start(buildDelayMs = 0): Promise<Running> {
  const embedder = await getOfflineEmbedder();
  const reportsDir = await writeReports(await tempDir('hot-reports-'), false);
  const indexDir = await tempDir('hot-index-');
  await buildIndex({ reportsDir, indexDir, embedder });
  const index = await loadIndex(indexDir);
  const api = await FakeBotApi.start({ maxPollMs: 300 });
  const logger = createLogger({ level: 'silent' });
  const adminUserIds = new Set(ADMINS);
  const reloadsAt: number[] = [];
  let tellAdmins = (_err: unknown): void => {};
  const live = openLiveSearcher(
    { searcher: createSearcher({ index, embedder }), embedder, buildDir: index.dir, built: null },
    {
      indexDir,
      pollMs: POLL_MS,
      onReload: () => reloadsAt.push(performance.now()),
      onReloadError: (err) => tellAdmins(err),
    },
  );
  const bot = createBot({
    token: TEST_TOKEN,
    apiRoot: api.apiRoot,
    searcher: live,
    logger,
    resultsPerPage: 3,
    rateLimit: 0,
    access: { allowedUserIds: new Set(), allowedChatIds: new Set(), adminUserIds },
    reindex: (onProgress) => reindexLive(live, { reportsDir, indexDir, embedder: slowed(embedder, buildDelayMs) }, onProgress),
    reindexEditIntervalMs: EDIT_INTERVAL_MS,
  });
  tellAdmins = (err) => void notifyAdmins(bot.api, adminUserIds, reloadFailedBlocks(err, live.stats().buildId, englishWords()), logger);
  const polling = await startPolling(bot, { logger, pollTimeoutSeconds: 1, drainTimeoutMs: 5000 });
  running = { api, live, polling, indexDir, reportsDir, reloadsAt };
  return running;
}

function answersTo(api: FakeBotApi, chatId: number, messageId: number): RecordedCall[] {
  return api.callsOf('sendMessage').filter((c) => c.payload.chat_id === chatId && c.payload.reply_parameters?.message_id === messageId);
}

function aboutTo(api: FakeBotApi, chatId: number): RecordedCall | undefined {
  return api.okCalls('sendMessage').find((c) => c.payload.chat_id === chatId && String(c.payload.text).startsWith('About this index'));
}

async function ask(api: FakeBotApi, question: string, from: number): Promise<RecordedCall> {
  const [update] = api.enqueue(textMessage(question, { from: user(from) }));
  const id = update!.message!.message_id;
  return api.waitFor(() => answersTo(api, from, id)[0], 10_000, `the answer to "${question}"`);
}

describe('hot reload in the running bot', () => {
  it('answers every question of a stream exactly once while a new index is built and swapped in', async () => {
    const { api, live, indexDir, reportsDir, reloadsAt } = await start();
    const embedder = await getOfflineEmbedder();
    const oldBuild = live.stats().buildId;
    const chats = [301, 302, 303, 304, 305];
    const asked: Array<{ chat: number; messageId: number; updateId: number }> = [];
    let build: Promise<unknown> | null = null;
    for (let i = 0; i < 50; i++) {
      const chat = chats[i % chats.length]!;
      const [update] = api.enqueue(textMessage(QUESTIONS[i % QUESTIONS.length]!, { from: user(chat) }));
      asked.push({ chat, messageId: update!.message!.message_id, updateId: update!.update_id });
      if (i === 10) {
        await writeFile(path.join(reportsDir, EXTRA_REPORT.file), EXTRA_REPORT.text);
        build = buildIndex({ reportsDir, indexDir, embedder });
      }
      // Keep streaming until the swap has happened, so questions arrive before, during and after it.
      await new Promise((r) => setTimeout(r, i > 10 && reloadsAt.length === 0 ? 60 : 20));
    }
    await build;
    await api.waitFor(() => reloadsAt.length > 0, 10_000, 'the reload');
    await api.waitFor(() => asked.every((q) => answersTo(api, q.chat, q.messageId).length > 0), 20_000, 'all 50 answers');
    // Give stray duplicates a moment to show up before counting.
    await new Promise((r) => setTimeout(r, 200));

    for (const q of asked) {
      const answers = answersTo(api, q.chat, q.messageId);
      expect(answers).toHaveLength(1);
      expect(answers[0]!.outcome).toBe('ok');
      expect(answers[0]!.payload.text).toMatch(/Report \d{3} · .+ · ¶\d+/);
      expect(answers[0]!.payload.text).not.toMatch(ERROR_TEXTS);
    }
    expect(api.calls.filter((c) => c.outcome !== 'ok')).toEqual([]);
    const deliveredBefore = asked.filter((q) => api.deliveredAt.get(q.updateId)! < reloadsAt[0]!).length;
    expect(deliveredBefore).toBeGreaterThan(0);
    expect(deliveredBefore).toBeLessThan(asked.length);

    expect(live.stats().buildId).not.toBe(oldBuild);
    const fresh = await ask(api, EXTRA_REPORT.question, 306);
    expect(fresh.payload.text).toContain(EXTRA_REPORT.fact);
    expect(fresh.payload.text).toContain('Report 005 · Lighthouse log from the Zvezdny cape');
  });

  it('tells every admin when a published index is corrupt, and keeps answering from the old one', async () => {
    const { api, live, indexDir } = await start();
    const serving = live.stats().buildId;
    const id = newBuildId();
    const copy = path.join(indexDir, 'builds', id);
    await cp(live.currentBuildDir(), copy, { recursive: true });
    await truncate(path.join(copy, FILES.vectors), 64);
    await publishBuild(indexDir, id);

    for (const admin of ADMINS) {
      const notice = await api.waitFor(() => api.okCalls('sendMessage').find((c) => c.payload.chat_id === admin), 10_000, `the notice to ${admin}`);
      expect(notice.payload.text).toContain('A new index could not be loaded.');
      expect(notice.payload.text).toContain('vectors.f32');
      expect(notice.payload.text).toContain('npm run build-index');
      expect(notice.payload.text).toContain(`I keep answering from build ${serving}.`);
    }
    const answer = await ask(api, QUESTIONS[0]!, 310);
    expect(answer.payload.text).toMatch(/Report \d{3} · .+ · ¶\d+/);
    expect(live.stats().buildId).toBe(serving);
    await new Promise((r) => setTimeout(r, POLL_MS * 4));
    expect(api.okCalls('sendMessage').filter((c) => ADMINS.includes(c.payload.chat_id))).toHaveLength(ADMINS.length);
  });
});

describe('/reindex and /about for admins', () => {
  it('rebuilds with progress edits of one message ending in the summary, then answers from the new index', async () => {
    // 30 calibration probes × 40 ms: over a second of build, so several throttled progress edits.
    const { api, live, reportsDir } = await start(40);
    const admin = ADMINS[0]!;
    const oldBuild = live.stats().buildId;
    await writeFile(path.join(reportsDir, EXTRA_REPORT.file), EXTRA_REPORT.text);
    const [command] = api.enqueue(textMessage('/reindex', { from: user(admin) }));
    const done = await api.waitFor(
      () => api.okCalls('editMessageText').find((c) => String(c.payload.text).startsWith('Reindex done.')),
      20_000,
      'the summary edit',
    );

    const sent = api.okCalls('sendMessage').filter((c) => c.payload.chat_id === admin);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.payload.text).toBe('Reindexing…\nStarting the build.');
    expect(sent[0]!.payload.reply_parameters?.message_id).toBe(command!.message!.message_id);
    const messageId = (sent[0]!.result as { message_id: number }).message_id;
    const edits = api.callsOf('editMessageText');
    expect(edits.length).toBeGreaterThanOrEqual(3);
    expect(edits.every((e) => e.payload.chat_id === admin && e.payload.message_id === messageId)).toBe(true);
    expect(edits.at(-1)).toBe(done);
    for (const progress of edits.slice(0, -1)) expect(progress.payload.text).toMatch(/^Reindexing…\n.+: \d+\/\d+ \(\d+%\)$/);
    const times = [sent[0]!.at, ...edits.map((e) => e.at)];
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(EDIT_INTERVAL_MS - EDIT_JITTER_MS);

    const newBuild = live.stats().buildId;
    expect(newBuild).not.toBe(oldBuild);
    const summary = String(done.payload.text);
    expect(summary).toContain('Answers now come from the new index.');
    expect(summary).toMatch(/Reports: 6\nPassages: \d+ \(duplicates removed: \d+\)\nVectors reused: [1-9]\d*, embedded: [1-9]\d*, removed: 0\nTook \d+\.\d s\. Build: /);
    expect(summary).toContain(`Build: ${newBuild}`);
    expect(done.payload.entities).toEqual([{ type: 'bold', offset: 0, length: 'Reindex done.'.length }]);

    const fresh = await ask(api, EXTRA_REPORT.question, 320);
    expect(fresh.payload.text).toContain(EXTRA_REPORT.fact);

    api.enqueue(textMessage('/about', { from: user(admin) }));
    const aboutReply = await api.waitFor(() => aboutTo(api, admin), 5000, '/about');
    expect(aboutReply.payload.text).toContain('Reports: 6');
    expect(aboutReply.payload.text).toContain(`Build: ${newBuild}`);
    expect(aboutReply.payload.text).toContain(`Index folder: ${live.currentBuildDir()}`);
  });

  it('says a reindex is already running when asked twice, and builds once', async () => {
    const { api, live } = await start();
    const admin = ADMINS[1]!;
    const [, second] = api.enqueue(textMessage('/reindex', { from: user(admin) }), textMessage('/reindex', { from: user(admin) }));
    const busy = await api.waitFor(() => answersTo(api, admin, second!.message!.message_id)[0], 10_000, 'the busy reply');
    expect(busy.payload.text).toBe(englishWords()('reindex-running'));
    await api.waitFor(() => api.okCalls('editMessageText').find((c) => String(c.payload.text).startsWith('Reindex done.')), 20_000, 'the summary');
    expect(api.okCalls('sendMessage').filter((c) => String(c.payload.text).startsWith('Reindexing…'))).toHaveLength(1);
    expect(api.okCalls('editMessageText').filter((c) => String(c.payload.text).startsWith('Reindex done.'))).toHaveLength(1);
    expect(live.stats().reports).toBe(5);
  });

  it('tells the admin when another process holds the build lock, and keeps the index', async () => {
    const { api, live, indexDir } = await start();
    const serving = live.stats().buildId;
    const lock = await acquireBuildLock(indexDir);
    try {
      api.enqueue(textMessage('/reindex', { from: user(ADMINS[0]!) }));
      const final = await api.waitFor(
        () => api.okCalls('editMessageText').find((c) => !String(c.payload.text).startsWith('Reindexing…')),
        10_000,
        'the final edit',
      );
      expect(final.payload.text).toBe(
        'Reindex not started: another build is writing the index right now (for example npm run build-index).\n\n' +
          `Try /reindex again when it has finished. Still answering from build ${serving}.`,
      );
    } finally {
      await lock.release();
    }
    expect(live.stats().buildId).toBe(serving);
  });

  it('politely refuses /reindex from a non-admin and builds nothing', async () => {
    const { api, live } = await start();
    const serving = live.stats().buildId;
    const [command] = api.enqueue(textMessage('/reindex', { from: user(777) }));
    const reply = await api.waitFor(() => answersTo(api, 777, command!.message!.message_id)[0], 5000, 'the refusal');
    expect(reply.payload.text).toBe(englishWords()('reindex-refused'));
    api.enqueue(textMessage('/about', { from: user(777) }));
    const aboutReply = await api.waitFor(() => aboutTo(api, 777), 5000, '/about');
    expect(aboutReply.payload.text).toContain(`Build: ${serving}`);
    expect(aboutReply.payload.text).not.toContain('Index folder');
    expect(api.callsOf('editMessageText')).toEqual([]);
    expect(live.stats().buildId).toBe(serving);
  });
});

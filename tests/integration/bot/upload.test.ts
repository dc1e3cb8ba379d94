/**
 * Adding and removing reports from Telegram, end to end: the real bot over long polling against the
 * fake Bot API (getFile and the file download included), wired as src/main.ts wires it: a live
 * searcher over a real index, rebuilds through reindexLive, uploads saved into the reports folder.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLiveSearcher, reindexLive } from '../../../src/app';
import { createBot } from '../../../src/bot/create-bot';
import { englishWords } from '../../../src/i18n/words';
import { startPolling, type PollingHandle } from '../../../src/bot/run-polling';
import { createLogger } from '../../../src/logger';
import type { LiveSearcher } from '../../../src/search/live-searcher';
import { createSearcher } from '../../../src/search/searcher';
import { buildIndex } from '../../../src/store/build-index';
import { loadIndex } from '../../../src/store/load-index';
import { writeReports } from '../../helpers/extra-report';
import { FakeBotApi, type RecordedCall } from '../../helpers/fake-bot-api';
import { getOfflineEmbedder } from '../../helpers/offline-embedder';
import { makePdf, makeZipBombDocx } from '../../helpers/report-fixtures';
import { useTempDirs } from '../../helpers/temp-dir';
import { callbackQuery, documentMessage, TEST_TOKEN, textMessage, user } from '../../helpers/updates';

const tempDir = useTempDirs();
const ADMIN = 9001;
const STRANGER = 777;
const UPLOAD_ADMINS_ONLY = (): string => englishWords()('upload-admins-only');
const PDF_MIME = 'application/pdf';

const UPLOADED = {
  sentName: '../../Pokrovsk <update>.pdf',
  savedName: 'Pokrovsk _update_.pdf',
  title: 'Pokrovsk axis, late August',
  question: 'How many kilometres of anti-tank ditches did engineers dig near Myrnohrad?',
  fact: 'Engineers dug 23 kilometres of anti-tank ditches near Myrnohrad',
} as const;

interface Running {
  api: FakeBotApi;
  live: LiveSearcher;
  polling: PollingHandle;
  reportsDir: string;
}

let running: Running | null = null;
afterEach(async () => {
  if (running === null) return;
  await running.polling.stop();
  await running.live.close();
  await running.api.close();
  running = null;
});

async function start(): Promise<Running> {
  const embedder = await getOfflineEmbedder();
  const reportsDir = await writeReports(await tempDir('upload-reports-'), false);
  const indexDir = await tempDir('upload-index-');
  await buildIndex({ reportsDir, indexDir, embedder });
  const index = await loadIndex(indexDir);
  const api = await FakeBotApi.start({ maxPollMs: 300 });
  const live = openLiveSearcher({ searcher: createSearcher({ index, embedder }), embedder, buildDir: index.dir, built: null }, { indexDir, pollMs: 100 });
  const bot = createBot({
    token: TEST_TOKEN,
    apiRoot: api.apiRoot,
    searcher: live,
    logger: createLogger({ level: 'silent' }),
    resultsPerPage: 3,
    rateLimit: 0,
    access: { allowedUserIds: new Set(), allowedChatIds: new Set(), adminUserIds: new Set([ADMIN]) },
    reindex: (onProgress) => reindexLive(live, { reportsDir, indexDir, embedder }, onProgress),
    reindexEditIntervalMs: 50,
    reportsDir,
  });
  const polling = await startPolling(bot, { logger: createLogger({ level: 'silent' }), pollTimeoutSeconds: 1, drainTimeoutMs: 5000 });
  running = { api, live, polling, reportsDir };
  return running;
}

function pdfWith(fact: string, title: string): Promise<Buffer> {
  return makePdf({
    title,
    created: new Date('2024-08-27T10:00:00Z'),
    pages: [
      [
        `${fact}, the regional military administration said on Tuesday, while evacuation buses kept leaving for Pavlohrad every morning.`,
        'Artillery duels continued around Selydove and Hrodivka as both sides rotated their brigades and brought in fresh reserves of drones.',
      ],
    ],
  });
}

/** Messages (sent or edited) in `chat` whose text starts with `prefix`. */
function textsTo(api: FakeBotApi, chat: number, prefix: string): RecordedCall[] {
  return api.okCalls().filter((c) => (c.method === 'sendMessage' || c.method === 'editMessageText') && c.payload.chat_id === chat && String(c.payload.text).startsWith(prefix));
}

async function ask(api: FakeBotApi, question: string, from: number): Promise<string> {
  const [update] = api.enqueue(textMessage(question, { from: user(from) }));
  const id = update!.message!.message_id;
  const answer = await api.waitFor(
    () => api.okCalls('sendMessage').find((c) => c.payload.chat_id === from && c.payload.reply_parameters?.message_id === id),
    10_000,
    `the answer to "${question}"`,
  );
  return String(answer.payload.text);
}

async function listing(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter((f) => !f.startsWith('.uploads')).sort();
}

describe('adding reports from Telegram', () => {
  it('adds an admin\'s PDF under a safe name, rebuilds, and the next question is answered from it', async () => {
    const { api, live, reportsDir } = await start();
    const before = await ask(api, UPLOADED.question, 301);
    expect(before).not.toContain(UPLOADED.fact);

    const pdf = await pdfWith(UPLOADED.fact, UPLOADED.title);
    api.enqueue(documentMessage(api.addFile(pdf, '.pdf'), UPLOADED.sentName, PDF_MIME, { from: user(ADMIN) }));
    const done = await api.waitFor(() => textsTo(api, ADMIN, 'Added: ')[0], 30_000, 'the upload to finish');
    expect(done.payload.text).toBe(`Added: ${UPLOADED.title} · 27 Aug 2024 · 1 passage · Report Pokrovsk-_update_ (${UPLOADED.savedName})\n\nAnswers now come from the new index.`);
    expect(textsTo(api, ADMIN, `Adding ${UPLOADED.savedName}…`).length).toBeGreaterThan(0);
    expect(api.okCalls('getFile')).toHaveLength(1);
    expect(api.okCalls('downloadFile')).toHaveLength(1);
    expect(await readFile(path.join(reportsDir, UPLOADED.savedName))).toEqual(pdf);
    expect(live.reports().map((r) => r.source)).toContain(UPLOADED.savedName);

    const answer = await ask(api, UPLOADED.question, 302);
    expect(answer).toContain(UPLOADED.fact);
    expect(answer).toContain(`Report Pokrovsk-_update_ · ${UPLOADED.title} · 27 Aug 2024 · p. 1`);
  }, 60_000);

  it("refuses other people's documents politely and never downloads them", async () => {
    const { api, reportsDir } = await start();
    const files = await listing(reportsDir);
    const file = api.addFile(await pdfWith(UPLOADED.fact, UPLOADED.title), '.pdf');
    api.enqueue(documentMessage(file, 'report.pdf', PDF_MIME, { from: user(STRANGER) }));
    const reply = await api.waitFor(() => textsTo(api, STRANGER, UPLOAD_ADMINS_ONLY())[0], 10_000, 'the refusal');
    expect(reply.payload.text).toBe(UPLOAD_ADMINS_ONLY());
    expect(api.callsOf('getFile')).toEqual([]);
    expect(await listing(reportsDir)).toEqual(files);
  });

  it('leaves the reports folder and the live index as they were after a corrupt upload, a zip bomb or an unsupported type', async () => {
    const { api, live, reportsDir } = await start();
    const files = await listing(reportsDir);
    const buildId = live.stats().buildId;
    const uploads: Array<[name: string, mime: string, bytes: Buffer, reason: RegExp]> = [
      ['broken.pdf', PDF_MIME, Buffer.from('%PDF-1.7\nnot really a PDF\n%%EOF'), /^Not added: broken\.pdf: (corrupt|unreadable) PDF/],
      ['bomb.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', await makeZipBombDocx(210, true), /^Not added: bomb\.docx: unpacks to more than 200 MB: refused as a possible zip bomb\./],
      ['sheet.xlsx', 'application/vnd.ms-excel', Buffer.from('PK'), /^Not added: sheet\.xlsx: unsupported type \(\.xlsx\)/],
    ];
    for (const [name, mime, bytes, reason] of uploads) {
      api.enqueue(documentMessage(api.addFile(bytes), name, mime, { from: user(ADMIN) }));
      const reply = await api.waitFor(() => textsTo(api, ADMIN, `Not added: ${name}`)[0], 20_000, `the refusal of ${name}`);
      expect(reply.payload.text).toMatch(reason);
      expect(reply.payload.text).toContain('The reports folder and the index are unchanged.');
    }
    expect(api.callsOf('getFile')).toHaveLength(2);
    expect(await listing(reportsDir)).toEqual(files);
    expect(await readdir(path.join(reportsDir, '.uploads')).catch(() => [])).toEqual([]);
    expect(live.stats().buildId).toBe(buildId);
    expect(await ask(api, 'What did NATO promise about air defense?', 303)).toContain('air defense');
  }, 60_000);

  it('asks before replacing a report of the same name, then removes it from /sources after confirmation', async () => {
    const { api, live, reportsDir } = await start();
    const first = await pdfWith(UPLOADED.fact, UPLOADED.title);
    api.enqueue(documentMessage(api.addFile(first), 'pokrovsk.pdf', PDF_MIME, { from: user(ADMIN) }));
    await api.waitFor(() => textsTo(api, ADMIN, 'Added: ')[0], 30_000, 'the first upload');

    const newer = 'Engineers dug 41 kilometres of anti-tank ditches near Myrnohrad';
    api.enqueue(documentMessage(api.addFile(await pdfWith(newer, 'Pokrovsk axis, early September')), 'pokrovsk.pdf', PDF_MIME, { from: user(ADMIN) }));
    const question = await api.waitFor(() => textsTo(api, ADMIN, 'The reports folder already has pokrovsk.pdf')[0], 20_000, 'the replace question');
    expect(question.payload.reply_markup.inline_keyboard[0].map((b: { text: string }) => b.text)).toEqual(['Replace it', 'Keep the old one']);
    expect(await readFile(path.join(reportsDir, 'pokrovsk.pdf'))).toEqual(first);

    const replace = question.payload.reply_markup.inline_keyboard[0][0].callback_data as string;
    api.enqueue(callbackQuery(replace, question.result as never, user(ADMIN)));
    await api.waitFor(() => textsTo(api, ADMIN, 'Added: Pokrovsk axis, early September')[0], 30_000, 'the replacement');
    const answer = await ask(api, UPLOADED.question, 304);
    expect(answer).toContain(newer);
    expect(answer).not.toContain(UPLOADED.fact);

    api.enqueue(textMessage('/sources', { from: user(ADMIN) }));
    const sources = await api.waitFor(() => textsTo(api, ADMIN, '6 indexed reports, newest first:').find((c) => c.payload.reply_markup), 10_000, '/sources with buttons');
    const buttons = (sources.payload.reply_markup.inline_keyboard as Array<Array<{ text: string; callback_data: string }>>).flat();
    const remove = buttons.find((b) => b.text === 'Remove pokrovsk')!;
    expect(remove).toBeDefined();
    api.enqueue(callbackQuery(remove.callback_data, sources.result as never, user(ADMIN)));
    const confirm = await api.waitFor(() => textsTo(api, ADMIN, 'Remove Report pokrovsk')[0], 10_000, 'the confirmation');
    const yes = confirm.payload.reply_markup.inline_keyboard[0][0];
    expect(yes.text).toBe('Yes, remove it');
    api.enqueue(callbackQuery(yes.callback_data, confirm.result as never, user(STRANGER)));
    await api.waitFor(() => api.okCalls('answerCallbackQuery').find((c) => c.payload.text === "Only the bot's admins can remove reports."), 10_000, 'the refusal');
    api.enqueue(callbackQuery(yes.callback_data, confirm.result as never, user(ADMIN)));
    const removed = await api.waitFor(() => textsTo(api, ADMIN, 'Removed: ')[0], 30_000, 'the removal');
    expect(removed.payload.text).toContain('Report pokrovsk · Pokrovsk axis, early September (pokrovsk.pdf)');
    expect(removed.payload.text).toContain('5 reports left');
    expect(live.reports().map((r) => r.source)).not.toContain('pokrovsk.pdf');
    expect(await listing(reportsDir)).not.toContain('pokrovsk.pdf');
    expect(await ask(api, UPLOADED.question, 305)).not.toContain(newer);
  }, 90_000);
});

/**
 * `src/main.ts` in bot mode with admins, against the fake Bot API: it rebuilds a start-up index
 * with a truncated vectors file, tells the admin about a corrupt build published while it runs
 * (and keeps answering), rebuilds on /reindex, then answers from the new index.
 */
import { cp, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/store/build-index';
import { FILES, newBuildId, publishBuild, resolveLiveDir } from '../../../src/store/layout';
import { EXTRA_REPORT, writeReports } from '../../helpers/extra-report';
import { FakeBotApi } from '../../helpers/fake-bot-api';
import { spawnMain } from '../../helpers/main-process';
import { getOfflineEmbedder } from '../../helpers/offline-embedder';
import { useTempDirs } from '../../helpers/temp-dir';
import { TEST_TOKEN, textMessage, user } from '../../helpers/updates';

const ADMIN = 9001;

describe('main process hot reload', () => {
  const tempDir = useTempDirs();
  let api: FakeBotApi | null = null;

  afterEach(async () => {
    await api?.close();
    api = null;
  });

  it('rebuilds a truncated index at start, reports a corrupt published build to the admin, and /reindex switches to new reports', async () => {
    api = await FakeBotApi.start({ maxPollMs: 500 });
    const fake = api;
    const reportsDir = await writeReports(await tempDir('main-hot-reports-'), false);
    const indexDir = await tempDir('main-hot-index-');
    const first = await buildIndex({ reportsDir, indexDir, embedder: await getOfflineEmbedder() });
    await truncate(path.join(first.dir, FILES.vectors), 100);

    const main = spawnMain({
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      REPORTS_DIR: reportsDir,
      INDEX_DIR: indexDir,
      ADMIN_USER_IDS: String(ADMIN),
      LOG_LEVEL: 'info',
    });
    try {
      await fake.waitFor(() => fake.callsOf('getUpdates').length > 0, 60_000, 'the bot to start polling');
      expect(main.output()).toContain('Building the index because it cannot be loaded');
      const serving = await resolveLiveDir(indexDir);
      expect(serving).not.toBe(first.dir);

      const id = newBuildId();
      const corrupt = path.join(indexDir, 'builds', id);
      await cp(serving!, corrupt, { recursive: true });
      await truncate(path.join(corrupt, FILES.vectors), 64);
      await publishBuild(indexDir, id);
      const notice = await fake.waitFor(() => fake.okCalls('sendMessage').find((c) => c.payload.chat_id === ADMIN), 15_000, 'the admin notice');
      expect(notice.payload.text).toContain('A new index could not be loaded.');
      expect(notice.payload.text).toContain('vectors.f32');
      fake.enqueue(textMessage('What did NATO promise about air defense?', { from: user(402) }));
      const answer = await fake.waitFor(() => fake.okCalls('sendMessage').find((c) => c.payload.chat_id === 402), 15_000, 'the answer');
      expect(answer.payload.text).toMatch(/\n\d+\. Report \d{3} · .+ · ¶\d+/);

      await writeFile(path.join(reportsDir, EXTRA_REPORT.file), EXTRA_REPORT.text);
      fake.enqueue(textMessage('/reindex', { from: user(ADMIN) }));
      const done = await fake.waitFor(
        () => fake.okCalls('editMessageText').find((c) => String(c.payload.text).startsWith('Reindex done.')),
        30_000,
        'the reindex summary',
      );
      expect(done.payload.text).toContain('Reports: 6');
      fake.enqueue(textMessage(EXTRA_REPORT.question, { from: user(403) }));
      const fresh = await fake.waitFor(() => fake.okCalls('sendMessage').find((c) => c.payload.chat_id === 403), 15_000, 'the fresh answer');
      expect(fresh.payload.text).toContain(EXTRA_REPORT.fact);

      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
    } finally {
      main.kill();
    }
    expect(main.output()).toContain('new index not loaded, keeping the old one');
    expect(main.output()).not.toContain(TEST_TOKEN);
    expect(main.output()).not.toMatch(/\n\s+at /);
  }, 120_000);
});

/**
 * Console mode and `ask` in a real terminal (tmux), as a person meets them: the prompt, the typed
 * question left above its answer, and the hint `ask` gives when it waits for typed questions.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MODEL_CACHE_DIR } from '../helpers/offline-embedder';
import { PROJECT_ROOT, SEEDS_DIR } from '../helpers/seed-index';
import { useTempDirs } from '../helpers/temp-dir';
import { startTmux, type TmuxSession } from '../helpers/tmux';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const QUESTION = 'What did NATO promise about air defense?';

describe('in a terminal', () => {
  const tempDir = useTempDirs();
  let session: TmuxSession | null = null;

  afterEach(() => {
    session?.close();
    session = null;
  });

  it('console mode shows a prompt, keeps the typed question above its answer, and answers unknown commands with the list', async () => {
    const indexDir = await tempDir('tmux-console-index-');
    session = startTmux('console', [TSX, 'src/main.ts'], PROJECT_ROOT, {
      TELEGRAM_BOT_TOKEN: '',
      REPORTS_DIR: SEEDS_DIR,
      INDEX_DIR: indexDir,
      EMBEDDING_MODEL: 'offline',
      MODEL_CACHE_DIR,
      LOG_LEVEL: 'warn',
    });
    const tty = session;
    await tty.waitFor((s) => /^ask> $/m.test(s), 90_000, 'the prompt');
    expect(tty.screen()).toContain('/help – this list');

    tty.type(QUESTION);
    const answered = await tty.waitFor((s) => /— \d+\. Report \d{3} · /.test(s) && /^ask> $/m.test(s.split(QUESTION).pop() ?? ''), 30_000, 'the answer');
    const lines = answered.split('\n');
    const asked = lines.findIndex((l) => l === `ask> ${QUESTION}`);
    const firstSource = lines.findIndex((l) => /^— \d+\. Report \d{3} · /.test(l));
    expect(asked).toBeGreaterThanOrEqual(0);
    expect(firstSource).toBeGreaterThan(asked);
    expect(lines.slice(asked + 1, firstSource).some((l) => l.startsWith('> '))).toBe(true);

    tty.type('/frobnicate');
    const refused = await tty.waitFor((s) => s.includes('Unknown command /frobnicate.'), 10_000, 'the unknown-command reply');
    expect(refused.split('Unknown command /frobnicate.').pop()).toContain('/context N – paragraphs around quote N');
  }, 150_000);

  it('npm run ask says how to type questions when stdin is a terminal, then answers them', async () => {
    const indexDir = path.join(await tempDir('tmux-ask-index-'), 'index');
    const build = startTmux('build', [TSX, 'scripts/build-index.ts', '--reports', SEEDS_DIR, '--index', indexDir, '--model', 'offline'], PROJECT_ROOT, {
      MODEL_CACHE_DIR,
    });
    try {
      await build.waitFor((s) => s.includes('Indexed 5 reports'), 90_000, 'the index build');
    } finally {
      build.close();
    }
    session = startTmux('ask', [TSX, 'scripts/ask.ts', '--index', indexDir, '--k', '1'], PROJECT_ROOT, { MODEL_CACHE_DIR });
    const tty = session;
    await tty.waitFor((s) => s.includes('Type one question per line and press Enter; Ctrl-D ends.'), 60_000, 'the hint');
    tty.type(QUESTION);
    await tty.waitFor((s) => s.includes(`Question: ${QUESTION}`) && /— \d+\. Report \d{3} · /.test(s), 30_000, 'the answer');
    tty.keys('C-d');
  }, 150_000);
});

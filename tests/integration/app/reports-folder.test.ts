/**
 * One reports folder of record: after `npm run build-index -- --reports DIR`, `npm start` and a
 * plain `npm run build-index` use DIR (recorded in the manifest) unless REPORTS_DIR is set; when
 * REPORTS_DIR points elsewhere, start-up says which folder it uses.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../../../src/store/load-index';
import { EXTRA_REPORT, writeReports } from '../../helpers/extra-report';
import { runConsole } from '../../helpers/main-process';
import { MODEL_CACHE_DIR } from '../../helpers/offline-embedder';
import { PROJECT_ROOT, SEEDS_DIR } from '../../helpers/seed-index';
import { useTempDirs } from '../../helpers/temp-dir';

const exec = promisify(execFile);
const tempDir = useTempDirs();
const ENV = { ...process.env, MODEL_CACHE_DIR, EMBEDDING_MODEL: 'offline', REPORTS_DIR: '', FORCE_COLOR: '0' };

function buildIndexCli(args: string[], env: Record<string, string> = {}) {
  return exec(path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'), [path.join(PROJECT_ROOT, 'scripts/build-index.ts'), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...ENV, ...env },
    timeout: 120_000,
  });
}

describe('the reports folder of record', () => {
  it('is the folder the index was built from, unless REPORTS_DIR says otherwise (and then it says so)', async () => {
    const reports = await writeReports(await tempDir('record-reports-'), true);
    const indexDir = path.join(await tempDir('record-index-'), 'index');
    await buildIndexCli(['--reports', reports, '--index', indexDir, '--model', 'offline']);
    expect((await readManifest(indexDir))?.reportsDir).toBe(path.resolve(reports));

    const env = { INDEX_DIR: indexDir, EMBEDDING_MODEL: 'offline', MODEL_CACHE_DIR, LOG_LEVEL: 'info', REPORTS_DIR: '' };
    const kept = await runConsole(`${EXTRA_REPORT.question}\n`, env);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toContain(EXTRA_REPORT.fact);
    expect(kept.stderr).not.toContain('Building the index');
    expect(kept.stderr).toContain(`"reports_dir":${JSON.stringify(path.resolve(reports))}`);

    const rebuilt = await buildIndexCli(['--index', indexDir, '--model', 'offline']);
    expect(rebuilt.stdout).toContain(`Reports: ${path.resolve(reports)}.`);
    expect(rebuilt.stdout).toContain('Embedded 0');

    const overridden = await runConsole(`${EXTRA_REPORT.question}\n`, { ...env, REPORTS_DIR: SEEDS_DIR });
    expect(overridden.code, overridden.stderr).toBe(0);
    expect(overridden.stderr).toContain(`Using the reports folder ${SEEDS_DIR} (REPORTS_DIR); the index in ${indexDir} was built from ${path.resolve(reports)}.`);
    expect(overridden.stderr).toContain('Building the index because the index was built from another folder');
    expect(overridden.stdout).not.toContain(EXTRA_REPORT.fact);
    expect((await readManifest(indexDir))?.reportsDir).toBe(SEEDS_DIR);
  }, 240_000);
});

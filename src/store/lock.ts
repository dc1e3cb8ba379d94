import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { IndexError } from '../errors';
import { LOCK_FILE } from './layout';

export interface BuildLock {
  release(): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the index folder's build lock (an O_EXCL file holding our pid). A lock left by a dead
 * process is taken over. While another live build holds it, waits up to `waitMs`, then throws INDEX_LOCKED.
 */
export async function acquireBuildLock(indexDir: string, waitMs = 0): Promise<BuildLock> {
  await mkdir(indexDir, { recursive: true });
  const file = path.join(indexDir, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    if (!Number.isFinite(holder) || !processAlive(holder)) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new IndexError('INDEX_LOCKED', `Another build (pid ${holder}) is writing the index in ${indexDir}.`, {
        hint: 'Wait for it to finish, then run the build again.',
      });
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

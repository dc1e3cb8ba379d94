import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { MODEL_CACHE_DIR } from './offline-embedder';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface MainProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code when the process has exited. */
  exited: Promise<number | null>;
  /** SIGKILLs the process if it is still running (for `finally`). */
  kill(): void;
}

/** Runs `src/main.ts` in console mode (no token) with `input` piped in; resolves when it exits (SIGKILL after 90 s). */
export function runConsole(input: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, TELEGRAM_BOT_TOKEN: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** Runs `src/main.ts` (what `npm start` runs) with the offline model and extra environment. */
export function spawnMain(env: Record<string, string>): MainProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, EMBEDDING_MODEL: 'offline', MODEL_CACHE_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

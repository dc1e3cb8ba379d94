/**
 * Drives a program in a real terminal: a detached tmux session on a private server socket (so it
 * never touches anyone else's tmux), with keys sent and the screen read back as text.
 */
import { execFileSync } from 'node:child_process';

export interface TmuxSession {
  /** Types `text` and presses Enter. */
  type(text: string): void;
  /** Sends tmux key names (e.g. 'C-d'). */
  keys(...names: string[]): void;
  /** The visible screen plus scrollback, as plain text. */
  screen(): string;
  /** Resolves with the screen once `predicate` holds; rejects with the screen after `timeoutMs`. */
  waitFor(predicate: (screen: string) => boolean, timeoutMs: number, what: string): Promise<string>;
  close(): void;
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Starts `command` (argv) in `cwd` with extra environment, on a 160x50 terminal. */
export function startTmux(name: string, command: string[], cwd: string, env: Record<string, string>): TmuxSession {
  const socket = `${name}-${process.pid}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`);
  // `; sleep` keeps the pane (and what the program printed) readable after the program exits.
  const shell = `cd ${quote(cwd)} && env ${assignments.join(' ')} ${command.map(quote).join(' ')}; sleep 600`;
  tmux('new-session', '-d', '-s', name, '-x', '160', '-y', '50', shell);
  const screen = (): string => tmux('capture-pane', '-p', '-J', '-S', '-500', '-t', name);
  return {
    type(text) {
      tmux('send-keys', '-t', name, '-l', text);
      tmux('send-keys', '-t', name, 'Enter');
    },
    keys(...names) {
      tmux('send-keys', '-t', name, ...names);
    },
    screen,
    async waitFor(predicate, timeoutMs, what) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const shown = screen();
        if (predicate(shown)) return shown;
        if (Date.now() > deadline) throw new Error(`tmux: timed out waiting for ${what}; screen:\n${shown}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    close() {
      try {
        tmux('kill-server');
      } catch {
        // Already gone.
      }
    },
  };
}

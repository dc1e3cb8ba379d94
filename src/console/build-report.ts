import type { BuildProgress, BuildSummary } from '../store/build-index';

const PHASE_LABEL: Record<BuildProgress['phase'], string> = {
  read: 'Reading reports',
  embed: 'Embedding passages',
  index: 'Indexing vectors',
  write: 'Writing index',
};
const BAR_WIDTH = 28;
/** Redraw at most this often, so a fast build does not spend its time on the terminal. */
const REDRAW_MS = 80;
/** No estimate until a phase has run this long and is this far along: early rates mislead. */
const ETA_AFTER_MS = 2000;
const ETA_AFTER_FRACTION = 0.02;

/** "ETA 1m05s": the rest of the phase at its average rate so far, or '' while that rate means little. */
export function etaText(done: number, total: number, elapsedMs: number): string {
  if (done <= 0 || done >= total || elapsedMs < ETA_AFTER_MS || done / total < ETA_AFTER_FRACTION) return '';
  const seconds = Math.round(((total - done) * elapsedMs) / done / 1000);
  const m = Math.floor(seconds / 60);
  return ` ETA ${m > 0 ? `${m}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`}`;
}

/**
 * A progress bar for build phases on a terminal. On a non-terminal stream it prints nothing,
 * so logs and pipes stay clean.
 */
export function createProgressBar(stream: NodeJS.WriteStream): { update(p: BuildProgress): void; done(): void } {
  let last = 0;
  let drawn = false;
  let phase: BuildProgress['phase'] | null = null;
  let phaseStart = 0;
  /** Work already done when the phase began (reused vectors, graph rows added while embedding): not part of its rate. */
  let doneAtStart = 0;
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  return {
    update(p) {
      const now = Date.now();
      if (p.phase !== phase) {
        phase = p.phase;
        phaseStart = now;
        doneAtStart = p.done;
      }
      if (now - last < REDRAW_MS && p.done < p.total) return;
      last = now;
      const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
      const filled = Math.round(ratio * BAR_WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
      stream.write(`\r${PHASE_LABEL[p.phase].padEnd(20)} ${bar} ${String(Math.round(ratio * 100)).padStart(3)}% (${p.done}/${p.total})${etaText(p.done - doneAtStart, p.total - doneAtStart, now - phaseStart)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The human summary printed after a build. */
export function formatBuildSummary(s: BuildSummary): string {
  const lines = [
    `Indexed ${plural(s.reports, 'report')} into ${plural(s.passages, 'passage')} (${plural(s.duplicatesRemoved, 'duplicate')} removed).`,
    `Model: ${s.modelId}${s.offlineModel ? ' (offline)' : ''}. Embedded ${s.embedded}, reused ${s.reused}, removed ${s.removed}.`,
    `Took ${s.seconds.toFixed(2)} s. Reports: ${s.reportsDir}. Index: ${s.dir}`,
  ];
  for (const f of s.skipped) lines.push(`Skipped ${f.path}: ${f.reason}.`);
  for (const w of s.warnings) lines.push(`Note: ${w.path}: ${w.reason}.`);
  return lines.join('\n');
}

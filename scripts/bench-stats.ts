/** Latency statistics and the seed questions, shared by the bench scripts. */
import { readFile } from 'node:fs/promises';

/** The value below which `p` percent of the ascending `sorted` samples fall (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Count, p50, p99 and mean of `samples`, rounded to microseconds when they are milliseconds. */
export function stats(samples: number[]): { n: number; p50: number; p99: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Number(x.toFixed(3));
  return { n: s.length, p50: round(percentile(s, 50)), p99: round(percentile(s, 99)), mean: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) };
}

/** Every question of tests/fixtures/seed-questions.json, in file order. */
export async function seedQuestions(): Promise<string[]> {
  const f = JSON.parse(await readFile('tests/fixtures/seed-questions.json', 'utf8')) as Record<string, Array<{ question: string }>>;
  return Object.values(f).flat().map((q) => q.question);
}

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { splitSentences } from '../src/ingest/sentences';

/** Deterministic pseudo-random numbers, so every run builds the same synthetic corpus. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

/** Paragraphs per synthetic report file. */
export const SYNTHETIC_PER_REPORT = 100;

/** Synthetic paragraphs: random mixes of seed sentences of about 60 words, each opening with a unique tag. */
export async function syntheticParagraphs(passages: number): Promise<string[]> {
  const sentences: string[] = [];
  for (const name of ['000_b37f0f623e6a3c91.txt', '001_1acd37ffbbe669fc.txt', '002_90dd58c29e99378f.txt', '003_9a57778b51dc72a5.txt', '004_fec8b3c843a67b77.txt']) {
    const text = await readFile(path.join('seeds', name), 'utf8');
    for (const s of splitSentences(text)) {
      const sentence = text.slice(s.start, s.end);
      const words = sentence.split(/\s+/).length;
      if (words >= 8 && words <= 40) sentences.push(sentence);
    }
  }
  const rand = rng(42);
  const out: string[] = [];
  for (let i = 0; i < passages; i++) {
    const picked: string[] = [`Dispatch ${Math.floor(i / SYNTHETIC_PER_REPORT)}-${i % SYNTHETIC_PER_REPORT}.`];
    let words = 0;
    while (words < 60) {
      const s = sentences[Math.floor(rand() * sentences.length)] ?? '';
      picked.push(s);
      words += s.split(/\s+/).length;
    }
    out.push(picked.join(' '));
  }
  return out;
}

/** Writes report files of SYNTHETIC_PER_REPORT synthetic paragraphs each. */
export async function writeSyntheticCorpus(dir: string, passages: number): Promise<void> {
  const paras = await syntheticParagraphs(passages);
  await mkdir(dir, { recursive: true });
  for (let r = 0; r * SYNTHETIC_PER_REPORT < passages; r++) {
    const own = paras.slice(r * SYNTHETIC_PER_REPORT, (r + 1) * SYNTHETIC_PER_REPORT);
    await writeFile(path.join(dir, `synthetic-${String(r).padStart(5, '0')}.txt`), `${own.join('\n\n')}\n`);
  }
}

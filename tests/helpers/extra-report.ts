import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SEEDS_DIR } from './seed-index';

/** A report with a fact found nowhere in the seeds, to tell a rebuilt index from the original. */
export const EXTRA_REPORT = {
  file: '005_lighthouse.txt',
  text:
    'Lighthouse log from the Zvezdny cape\n\n' +
    'The keeper of the Zvezdny lighthouse counted 4,812 migrating cranes flying over Lake Vortsjarv on the morning of 3 March, ' +
    'the largest flock recorded at the cape since the station opened.\n\n' +
    'Fog closed the harbour for two days afterwards, and the supply boat from Kelvik was delayed until the weekend.',
  question: 'How many migrating cranes did the Zvezdny lighthouse keeper count?',
  fact: '4,812 migrating cranes',
} as const;

/** Copies the seed reports into `dir`, optionally adding EXTRA_REPORT. Returns `dir`. */
export async function writeReports(dir: string, withExtra: boolean): Promise<string> {
  await cp(SEEDS_DIR, dir, { recursive: true });
  if (withExtra) await writeFile(path.join(dir, EXTRA_REPORT.file), EXTRA_REPORT.text);
  return dir;
}

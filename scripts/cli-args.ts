import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeError } from '../src/errors';

/** Parses argv with node:util, turning bad flags into a one-line message and exit code 2. */
export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(options: T, usage: string, allowPositionals = false) {
  try {
    return parseArgs({ options, allowPositionals, strict: true });
  } catch (err) {
    process.stderr.write(`${describeError(err)}\n${usage}\n`);
    process.exit(2);
  }
}

/** Prints an error for the operator (message + hint, no stack) and exits non-zero. */
export function fail(err: unknown): never {
  process.stderr.write(`Error: ${describeError(err)}\n`);
  process.exit(1);
}

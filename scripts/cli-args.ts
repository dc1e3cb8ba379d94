import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeError } from '../src/errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Joins `--opt -3` into `--opt=-3` for options that take a value, so a negative number reaches the
 * command's own range check ("--k must be … got -3") instead of node's "argument is ambiguous".
 */
function joinDashValues(args: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = arg.startsWith('--') ? arg.slice(2) : null;
    const next = args[i + 1];
    if (name !== null && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** node:util's parse errors, in one short sentence each. */
export function rewordParseError(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const option = quoted.split(' ')[0] ?? quoted;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option ${option}.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('does not take an argument') ? `${option} takes no value.` : `${option} needs a value.`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument "${option}": this command takes options only.`;
    default:
      return describeError(err);
  }
}

/** Parses argv with node:util, turning bad flags into a one-line message and exit code 2. */
export function parseCli<T extends Options>(options: T, usage: string, allowPositionals = false) {
  try {
    return parseArgs({ args: joinDashValues(process.argv.slice(2), options), options, allowPositionals, strict: true });
  } catch (err) {
    process.stderr.write(`${rewordParseError(err)}\n${usage}\n`);
    process.exit(2);
  }
}

/** Prints an error for the operator (message + hint, no stack) and exits non-zero. */
export function fail(err: unknown): never {
  process.stderr.write(`Error: ${describeError(err)}\n`);
  process.exit(1);
}

/**
 * Exits quietly when the reader of stdout goes away (`| head -1`): writing on is pointless and
 * node would otherwise die with an EPIPE stack trace.
 */
export function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

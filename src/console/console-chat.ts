/**
 * Console mode (no bot token): the same answer pipeline as the bot, rendered as plain text.
 * Interactive with a prompt on a terminal; otherwise reads stdin line by line and returns at EOF.
 */
import { createInterface } from 'node:readline';
import { composeAnswer, composeContext, findAnswer, prepareQuestion, reportNumbers, type AnswerPage, type PreparedQuestion } from '../answer/answer';
import { strong, text, type Block } from '../answer/document';
import { describeError } from '../errors';
import { englishWords } from '../i18n/words';
import type { Searcher } from '../search/types';
import { aboutBlocks, latestBlocks, sourcesBlocks } from '../answer/info';
import { renderText } from './render-text';

export interface ConsoleChatOptions {
  searcher: Searcher;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Show a prompt and a greeting (a terminal). */
  interactive: boolean;
  /** Use ANSI styling. */
  ansi: boolean;
  resultsPerPage: number;
}

const PROMPT = 'ask> ';

const COMMANDS =
  '/more – next results for the last question\n/context N – paragraphs around quote N\n/sources – indexed reports, newest first\n/latest – the newest report and its key passages\n/about – index details\n/help – this list\n/quit – leave';

function consoleHelp(): Block[] {
  return [
    text('Type a question about the reports and press Enter. Answers are verbatim quotes with their sources; the answering sentence is bold.'),
    text(strong('Commands'), `\n${COMMANDS}`),
  ];
}

/** Runs until /quit or end of input. */
export async function runConsoleChat(options: ConsoleChatOptions): Promise<void> {
  const { searcher, output } = options;
  const t = englishWords();
  // Without `output`, readline shows neither the prompt nor what is typed.
  const rl = options.interactive
    ? createInterface({ input: options.input, output, terminal: true, prompt: PROMPT })
    : createInterface({ input: options.input, terminal: false });
  const print = (blocks: readonly Block[]): void => {
    output.write(`${renderText(blocks, { ansi: options.ansi })}\n\n`);
  };
  let last: { prepared: PreparedQuestion; page: AnswerPage } | null = null;

  const ask = async (prepared: PreparedQuestion, offset: number): Promise<void> => {
    const page = await findAnswer(searcher, prepared, { offset, k: options.resultsPerPage });
    last = { prepared, page };
    const blocks = composeAnswer(page, t);
    if (page.nextOffset !== null) blocks.push(text('(/more for further results, /context N for the paragraphs around quote N)'));
    print(blocks);
  };

  const handle = async (line: string): Promise<boolean> => {
    const input = line.trim();
    if (input === '') return true;
    const [command, arg] = input.split(/\s+/, 2);
    switch (command?.toLowerCase()) {
      case '/quit':
      case '/exit':
        return false;
      case '/help':
      case '/start':
        print(consoleHelp());
        return true;
      case '/sources':
        print(sourcesBlocks(searcher, t));
        return true;
      case '/latest':
        print(latestBlocks(searcher, t));
        return true;
      case '/about':
        print(aboutBlocks(searcher.stats(), true, t));
        return true;
      case '/more':
        if (last === null || last.page.nextOffset === null) print([text('There are no more results to show.')]);
        else await ask(last.prepared, last.page.nextOffset);
        return true;
      case '/context': {
        const n = Number(arg);
        const quote = last === null ? undefined : last.page.quotes[n - 1 - last.page.offset];
        const context = quote === undefined ? null : searcher.context(quote.passageId);
        if (context === null) print([text('Usage: /context N, where N is a quote number from the last answer.')]);
        else print(composeContext(context, reportNumbers(searcher), t));
        return true;
      }
    }
    if (command?.startsWith('/')) {
      print([text(`Unknown command ${command}. The commands are:`), text(COMMANDS)]);
      return true;
    }
    const prepared = prepareQuestion(input);
    if (prepared === null) return true;
    // Piped transcripts would otherwise show answers without the questions they answer.
    if (!options.interactive) output.write(`Question: ${prepared.question}\n\n`);
    await ask(prepared, 0);
    return true;
  };

  if (options.interactive) {
    print(consoleHelp());
    rl.prompt();
  }
  try {
    for await (const line of rl) {
      let keepGoing = true;
      try {
        keepGoing = await handle(line);
      } catch (err) {
        output.write(`Error: ${describeError(err)}\n\n`);
      }
      if (!keepGoing) break;
      if (options.interactive) rl.prompt();
    }
  } finally {
    rl.close();
  }
}

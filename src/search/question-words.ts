/**
 * Words of a question that are not its content: framing ("please tell me", "I'd like to know",
 * "q3:") and small words, including their common misspellings and chat shorthand ("wat", "teh",
 * "hw", "abt"). Dropping them keeps a typo in a small word from reading as "the topic is missing".
 */
import { isStopword } from '../text/tokens';
import { editDistanceAtMostOne } from './typos';

/** Framing and chat words that ask rather than say what about. */
const FRAMING = new Set(
  (
    'please pls plz kindly hey hi hello bot question questions answer like want wanted wonder wondering curious ' +
    'explain info details detail give show find look lookup search quick thanks thank thx ok okay hmm yo guys ' +
    'many much does whats wats thats hows wheres whos whens im id ive youre anyone someone really actually exactly ' +
    'currently still also ever yet news update updates latest think reports report'
  ).split(' '),
);

/** Chat shorthand for small words. */
const SHORTHAND = new Set('u ur r y wat wht wut hw abt bout cuz coz bc b4 w wo thru tho dat dis da ppl'.split(' '));

/** Small words whose one-edit misspellings are read as the small word ("teh" → "the"). */
const SMALL_WORDS = (
  'the a an and or of to in on at for from with by about what when where which who whom why how is are was were be been ' +
  'do does did has have had can could will would should many much this that these those there their they them it its ' +
  'not any some into than then'
).split(' ');

/** "q3", "q12": a question number, not content. */
const QUESTION_NUMBER = /^q\d{1,3}$/;

/** A leading question number: "Question 5:", "Q5 -", "#12.", "3)", "No. 4:" (a bare "5 killed…" is content). */
const LEADING_NUMBER = /^\s*(?:(?:q|question|no\.|#)\s*\d{1,3}\s*[:.)\-–—]?|\d{1,3}\s*[:.)\-–—])\s+/i;

/** The question without a leading question number, which says where it sits in a list, not what it asks. */
export function withoutQuestionNumber(question: string): string {
  return question.replace(LEADING_NUMBER, '');
}

/** True for a word that frames the question rather than naming its content. */
export function isFramingWord(token: string): boolean {
  return FRAMING.has(token) || SHORTHAND.has(token) || QUESTION_NUMBER.test(token);
}

/**
 * True when a word the reports do not use is most likely a misspelt small word ("wat", "teh",
 * "mny", "dose"): one edit from a common function word. Content-word typos are corrected against
 * the reports' vocabulary before this is asked.
 */
export function isSmallWordTypo(token: string): boolean {
  if (token.length > 5 || isStopword(token)) return false;
  return SMALL_WORDS.some((w) => Math.abs(w.length - token.length) <= 1 && editDistanceAtMostOne(token, w) === 1);
}

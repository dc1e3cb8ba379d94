/**
 * What kind of answer a question asks for, and whether a sentence can hold one: "how many" wants a
 * number, "when" a date, "who" a name. A passage without one rarely answers such a question.
 */

export type AnswerType = 'number' | 'date' | 'name' | null;

const NUMBER_QUESTION = /\b(how (many|much|mny|far|long|big|large)|what (number|percent(age)?|share|proportion)|number of)\b/i;
const DATE_QUESTION = /\b(when|what (year|date|day|month|time))\b/i;
const NAME_QUESTION = /\b(who|whom|whose|which (country|countries|company|official|group|leader))\b/i;

const NUMBER = /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?|billions?|half|quarter|third|several|many|few)\b/i;
const DATE =
  /\b(\d{4}|jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|week|month|year|days?|overnight|morning|evening|night)\b/i;
/** A capitalised word after the first word of the sentence. */
const INNER_CAPITAL = /\s\p{Lu}\p{Ll}/u;

export function answerTypeOf(question: string): AnswerType {
  if (NUMBER_QUESTION.test(question)) return 'number';
  if (DATE_QUESTION.test(question)) return 'date';
  if (NAME_QUESTION.test(question)) return 'name';
  return null;
}

/** True when `sentence` can hold the answer type (always true for questions without one). */
export function holdsAnswerType(type: AnswerType, sentence: string): boolean {
  if (type === 'number') return NUMBER.test(sentence);
  if (type === 'date') return DATE.test(sentence);
  if (type === 'name') return INNER_CAPITAL.test(sentence) || /^\p{Lu}/u.test(sentence);
  return true;
}

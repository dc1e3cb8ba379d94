/**
 * A fast path for the offline model's BERT tokenizer (BertNormalizer → BertPreTokenizer → WordPiece →
 * [CLS] … [SEP]) that gives the same input ids as transformers.js's generic tokenizer, which spends most
 * of an offline build's embedding time normalising and splitting text one character at a time through
 * regular expressions. Each code point is classified once (skipped, separator, punctuation or word
 * characters after lower-casing and accent stripping) and each word's ids are remembered. A text with
 * anything the per-character view cannot decide exactly (combining marks, Σ, CJK, special-token text)
 * goes through the generic tokenizer, so ids are the same for every text.
 */
import { Tensor } from '@xenova/transformers';

/** The parts of a transformers.js BERT tokenizer the fast path reads (checked at creation). */
interface BertTokenizerLike {
  (text: string, options: { padding: boolean; truncation: boolean; return_tensor: false }): { input_ids: number[] };
  constructor: { name: string };
  normalizer?: { constructor: { name: string }; config?: Record<string, unknown> } | null;
  pre_tokenizer?: { constructor: { name: string } } | null;
  post_processor?: { constructor: { name: string }; single?: unknown[] } | null;
  model: ((tokens: string[]) => string[]) & {
    constructor: { name: string };
    fuse_unk?: boolean;
    tokens_to_ids: Map<string, number>;
    convert_tokens_to_ids(tokens: string[]): number[];
  };
  added_tokens_regex?: RegExp | null;
  model_max_length: number;
  pad_token_id: number;
  padding_side?: string;
  remove_space?: boolean;
  do_lowercase_and_remove_accent?: boolean;
  return_token_type_ids?: boolean;
}

/** Model inputs as the feature-extraction pipeline's tokenizer call makes them (padding and truncation on). */
export interface ModelInputs {
  input_ids: Tensor;
  attention_mask: Tensor;
  token_type_ids?: Tensor;
}

/** Tokenizes a batch of texts into padded model inputs. */
export type BatchTokenizer = (texts: string[]) => ModelInputs;

/** transformers.js 2.x BertPreTokenizer's punctuation: \p{P} and the ASCII symbol ranges. */
const PUNCTUATION = /^[\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E]$/u;
/** BertNormalizer._is_control, with its own (precedence-quirked) pattern, on one code point. */
const CONTROL = /^\p{Cc}|\p{Cf}|\p{Co}|\p{Cs}$/u;
const WHITESPACE = /^\s$/;
const MARK = /\p{M}/u;
const STRIPPED_ACCENTS = /[\u0300-\u036f]/g;
/** Distinct words whose ids are remembered before the cache starts over: bounds its memory at a few MB. */
const MAX_WORDS = 200_000;

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

const SKIP = 0;
const SEPARATOR = 1;
const PUNCT = 2;
const WORD = 3;
const FALLBACK = 4;
type CharClass = { kind: typeof SKIP | typeof SEPARATOR | typeof FALLBACK } | { kind: typeof PUNCT | typeof WORD; text: string };

function isChinese(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff);
}

/**
 * What BertNormalizer + BertPreTokenizer make of one code point, when that does not depend on its
 * neighbours: clean_text drops controls and maps whitespace to a space; lower-casing, NFD and accent
 * stripping of a code point without combining marks around it is the same alone as in its text.
 */
function classify(cp: number): CharClass {
  const ch = String.fromCodePoint(cp);
  if (cp === 0 || cp === 0xfffd) return { kind: SKIP };
  if (ch === '\t' || ch === '\n' || ch === '\r') return { kind: SEPARATOR };
  if (CONTROL.test(ch)) return { kind: SKIP };
  if (WHITESPACE.test(ch)) return { kind: SEPARATOR };
  // CJK gets spaces around it (BMP only, as the generic code reads UTF-16 units); Σ lower-cases by context; marks reorder under NFD.
  if (cp <= 0xffff && isChinese(cp)) return { kind: FALLBACK };
  if (cp === 0x03a3 || MARK.test(ch)) return { kind: FALLBACK };
  const mapped = ch.toLowerCase().normalize('NFD').replace(STRIPPED_ACCENTS, '');
  if (mapped === '') return { kind: SKIP };
  const parts = [...mapped];
  if (parts.some((p) => WHITESPACE.test(p))) return { kind: FALLBACK };
  const punct = parts.filter((p) => PUNCTUATION.test(p)).length;
  if (punct === 0) return { kind: WORD, text: mapped };
  if (parts.length === 1) return { kind: PUNCT, text: mapped };
  return { kind: FALLBACK };
}

/** True when `tokenizer` is the BERT pipeline the fast path reproduces, configured as the offline model's. */
function isReproducible(t: BertTokenizerLike): boolean {
  const norm = t.normalizer?.config ?? {};
  const single = JSON.stringify(t.post_processor?.single ?? null);
  return (
    t.normalizer?.constructor.name === 'BertNormalizer' &&
    norm.clean_text === true &&
    norm.handle_chinese_chars === true &&
    norm.lowercase === true &&
    norm.strip_accents !== false &&
    t.pre_tokenizer?.constructor.name === 'BertPreTokenizer' &&
    t.post_processor?.constructor.name === 'TemplateProcessing' &&
    single === JSON.stringify([{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }]) &&
    t.model.constructor.name === 'WordPieceTokenizer' &&
    t.model.fuse_unk !== true &&
    t.remove_space !== true &&
    t.do_lowercase_and_remove_accent !== true &&
    (t.padding_side ?? 'right') === 'right' &&
    t.model.tokens_to_ids.has('[CLS]') &&
    t.model.tokens_to_ids.has('[SEP]')
  );
}

/** Texts the fast path must agree with the generic tokenizer on before it is used. */
const SELF_CHECK = [
  '',
  'Plain text, with punctuation; and numbers 1,234.5!',
  'Zelenskyy’s “drones” — near Kherson… (Ukraine) café Ä İstanbul ß ﬁ ½ ™ 🐶🫂',
  'tabs\tand\nnew\r\nlines\u00a0and\u200bzero-width\u00adsoft',
  'Xlongwordxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx end',
];

/**
 * Returns a batch tokenizer giving the same model inputs as `tokenizer(texts, { padding: true,
 * truncation: true })`, or null when `tokenizer` is not a BERT tokenizer configured like the offline
 * model's (or disagrees with the fast path on the self-check texts).
 */
export function createFastBertTokenizer(tokenizer: unknown): BatchTokenizer | null {
  const t = tokenizer as BertTokenizerLike;
  if (typeof t !== 'function' || !t.model || !(t.model.tokens_to_ids instanceof Map) || !isReproducible(t)) return null;
  const clsId = t.model.tokens_to_ids.get('[CLS]') as number;
  const sepId = t.model.tokens_to_ids.get('[SEP]') as number;
  const special = t.added_tokens_regex ? new RegExp(t.added_tokens_regex.source, t.added_tokens_regex.flags.replace('g', '')) : null;
  const withTypes = t.return_token_type_ids === true;
  const maxLength = t.model_max_length;
  const classes = new Map<number, CharClass>();
  /** ASCII classes by code, read without a map lookup (most characters of English text). */
  const ascii = Array.from({ length: 128 }, (_, cp) => classify(cp));
  const wordIds = new Map<string, number[]>();

  const idsOfWord = (word: string): number[] => {
    let ids = wordIds.get(word);
    if (ids === undefined) {
      ids = t.model.convert_tokens_to_ids(t.model([word]));
      if (wordIds.size >= MAX_WORDS) wordIds.clear();
      wordIds.set(word, ids);
    }
    return ids;
  };

  /** The ids of one text ([CLS] … [SEP]), or null when the text needs the generic tokenizer. */
  const fastIds = (text: string): number[] | null => {
    if (special && special.test(text)) return null;
    const out: number[] = [clsId];
    let word = '';
    for (let i = 0; i < text.length; i++) {
      let cp = text.charCodeAt(i);
      if (cp < 128) {
        const a = ascii[cp] as CharClass;
        if (a.kind === WORD) {
          word += a.text;
          continue;
        }
      }
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      let cls = classes.get(cp);
      if (cls === undefined) {
        cls = classify(cp);
        classes.set(cp, cls);
      }
      switch (cls.kind) {
        case SKIP:
          break;
        case WORD:
          word += cls.text;
          break;
        case SEPARATOR:
        case PUNCT:
          if (word !== '') {
            for (const id of idsOfWord(word)) out.push(id);
            word = '';
          }
          if (cls.kind === PUNCT) for (const id of idsOfWord(cls.text)) out.push(id);
          break;
        default:
          return null;
      }
    }
    if (word !== '') for (const id of idsOfWord(word)) out.push(id);
    out.push(sepId);
    return out;
  };

  const idsOf = (text: string): number[] => {
    const ids = fastIds(text) ?? t(text, { padding: false, truncation: false, return_tensor: false }).input_ids;
    if (ids.length > maxLength) ids.length = maxLength;
    return ids;
  };

  for (const text of SELF_CHECK) {
    const fast = fastIds(text);
    const generic = t(text, { padding: false, truncation: false, return_tensor: false }).input_ids;
    if (fast === null || fast.length !== generic.length || fast.some((id, i) => id !== generic[i])) return null;
  }

  return (texts) => {
    if (texts.length === 0) throw new Error('text array must be non-empty');
    const rows = texts.map(idsOf);
    let width = 0;
    for (const r of rows) width = Math.max(width, r.length);
    width = Math.min(width, maxLength);
    const ids = new BigInt64Array(rows.length * width).fill(BigInt(t.pad_token_id));
    const mask = new BigInt64Array(rows.length * width);
    // Ids are small non-negative ints: on a little-endian machine write the low 32 bits of each int64 (a BigInt per token is most of the cost).
    const idWords = LITTLE_ENDIAN ? new Int32Array(ids.buffer) : null;
    const maskWords = LITTLE_ENDIAN ? new Int32Array(mask.buffer) : null;
    rows.forEach((r, i) => {
      for (let j = 0; j < r.length; j++) {
        const at = i * width + j;
        const id = r[j] as number;
        if (idWords && maskWords && id >= 0 && id <= 0x7fffffff) {
          idWords[2 * at] = id;
          idWords[2 * at + 1] = 0;
          maskWords[2 * at] = 1;
        } else {
          ids[at] = BigInt(id);
          mask[at] = 1n;
        }
      }
    });
    const dims = [rows.length, width];
    const inputs: ModelInputs = { input_ids: new Tensor('int64', ids, dims), attention_mask: new Tensor('int64', mask, dims) };
    if (withTypes) inputs.token_type_ids = new Tensor('int64', new BigInt64Array(rows.length * width), dims);
    return inputs;
  };
}

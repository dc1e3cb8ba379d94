/**
 * A small binary container for typed-array columns: a JSON header naming each column's type,
 * offset and length, then the columns' bytes, each 8-byte aligned so that loading views them in
 * place (no copy, no per-row objects).
 *
 * Layout: "RQBCOLS1" | u32 header byte length | header JSON (UTF-8) | padding | column bytes…
 */

const MAGIC = 'RQBCOLS1';
/** Every column starts on this boundary, so a Float64Array can view it directly. */
const ALIGN = 8;

const TYPES = {
  u8: Uint8Array,
  u16: Uint16Array,
  i32: Int32Array,
  u32: Uint32Array,
  f32: Float32Array,
  f64: Float64Array,
} as const;

export type ColumnType = keyof typeof TYPES;
export type Column = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

interface ColumnEntry {
  type: ColumnType;
  /** Byte offset from the start of the file. */
  offset: number;
  /** Number of elements. */
  length: number;
}

interface Header {
  columns: Record<string, ColumnEntry>;
}

/** Raised (as a plain Error) when bytes are not a column file; callers wrap it in their own typed error. */
export class ColumnFileError extends Error {}

function typeOf(column: Column): ColumnType {
  if (column instanceof Float64Array) return 'f64';
  if (column instanceof Float32Array) return 'f32';
  if (column instanceof Uint32Array) return 'u32';
  if (column instanceof Int32Array) return 'i32';
  if (column instanceof Uint16Array) return 'u16';
  return 'u8';
}

const aligned = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

/**
 * The bytes of a column file as consecutive pieces: the header (with its padding), then each
 * column viewed in place with its padding. Writing the pieces in order gives the file without
 * holding a second copy of the columns.
 */
export function encodeColumnParts(columns: Record<string, Column>): Uint8Array[] {
  // The header's offsets depend on its own length: fix the length first with placeholder offsets of full width.
  const names = Object.keys(columns);
  const entries: Record<string, ColumnEntry> = {};
  for (const name of names) {
    const c = columns[name] as Column;
    entries[name] = { type: typeOf(c), offset: 0, length: c.length };
  }
  let headerBytes = Buffer.byteLength(JSON.stringify({ columns: entries } satisfies Header));
  for (;;) {
    let at = aligned(MAGIC.length + 4 + headerBytes);
    for (const name of names) {
      const c = columns[name] as Column;
      const entry = entries[name] as ColumnEntry;
      entry.offset = at;
      at = aligned(at + c.byteLength);
    }
    const json = JSON.stringify({ columns: entries } satisfies Header);
    if (Buffer.byteLength(json) <= headerBytes) break;
    headerBytes = Buffer.byteLength(json);
  }
  const json = Buffer.from(JSON.stringify({ columns: entries } satisfies Header).padEnd(headerBytes, ' '));
  const head = Buffer.alloc(aligned(MAGIC.length + 4 + headerBytes));
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(headerBytes, MAGIC.length);
  json.copy(head, MAGIC.length + 4);
  const parts: Uint8Array[] = [head];
  for (const name of names) {
    const c = columns[name] as Column;
    if (c.byteLength > 0) parts.push(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
    const pad = aligned(c.byteLength) - c.byteLength;
    if (pad > 0) parts.push(new Uint8Array(pad));
  }
  return parts;
}

/** Serialises named columns into one buffer. */
export function encodeColumns(columns: Record<string, Column>): Buffer {
  return Buffer.concat(encodeColumnParts(columns));
}

/** Views the columns of a buffer written by `encodeColumns` (copied once if the buffer is not aligned). */
export function decodeColumns(raw: Buffer): Record<string, Column> {
  if (raw.byteLength < MAGIC.length + 4 || raw.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new ColumnFileError('not a column file');
  const buf = raw.byteOffset % ALIGN === 0 ? raw : Buffer.from(raw);
  const headerBytes = buf.readUInt32LE(MAGIC.length);
  if (MAGIC.length + 4 + headerBytes > buf.byteLength) throw new ColumnFileError('header runs past the end');
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerBytes)) as Header;
  } catch (cause) {
    throw new ColumnFileError('header is not valid JSON', { cause });
  }
  const out: Record<string, Column> = {};
  for (const [name, entry] of Object.entries(header.columns ?? {})) {
    const Type = TYPES[entry.type];
    if (!Type) throw new ColumnFileError(`column ${name} has unknown type ${String(entry.type)}`);
    const bytes = entry.length * Type.BYTES_PER_ELEMENT;
    if (entry.offset % ALIGN !== 0 || entry.offset + bytes > buf.byteLength) throw new ColumnFileError(`column ${name} runs past the end`);
    out[name] = new Type(buf.buffer as ArrayBuffer, buf.byteOffset + entry.offset, entry.length);
  }
  return out;
}

/** The named column as the given type; throws when it is missing or of another type. */
export function column<T extends ColumnType>(columns: Record<string, Column>, name: string, type: T): InstanceType<(typeof TYPES)[T]> {
  const c = columns[name];
  if (!c || typeOf(c) !== type) throw new ColumnFileError(`column ${name} is missing or not ${type}`);
  return c as InstanceType<(typeof TYPES)[T]>;
}

/** Strings as one UTF-8 buffer and n + 1 byte offsets: string i is bytes[offsets[i], offsets[i + 1]). */
export interface StringColumn {
  bytes: Uint8Array;
  offsets: Uint32Array;
}

/** Packs strings into a string column. */
export function encodeStrings(values: readonly string[]): StringColumn {
  const offsets = new Uint32Array(values.length + 1);
  let total = 0;
  values.forEach((v, i) => {
    total += Buffer.byteLength(v);
    offsets[i + 1] = total;
  });
  const bytes = Buffer.allocUnsafe(total);
  values.forEach((v, i) => bytes.write(v, offsets[i] ?? 0, 'utf8'));
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), offsets };
}

/** String i of a string column. */
export function stringAt(s: StringColumn, i: number): string {
  return Buffer.from(s.bytes.buffer as ArrayBuffer, s.bytes.byteOffset, s.bytes.byteLength).toString('utf8', s.offsets[i] ?? 0, s.offsets[i + 1] ?? 0);
}

/** Every string of a string column. */
export function decodeStrings(s: StringColumn): string[] {
  const buf = Buffer.from(s.bytes.buffer as ArrayBuffer, s.bytes.byteOffset, s.bytes.byteLength);
  const out: string[] = new Array<string>(Math.max(0, s.offsets.length - 1));
  for (let i = 0; i < out.length; i++) out[i] = buf.toString('utf8', s.offsets[i] ?? 0, s.offsets[i + 1] ?? 0);
  return out;
}

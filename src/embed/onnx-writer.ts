/**
 * A minimal protobuf encoder for one ONNX graph shape: an embedding table looked up with `Gather`,
 * optionally summed over the sequence axis.
 * Field numbers follow onnx/onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto,
 * ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).
 */
import { endianness } from 'node:os';

/** ONNX IR version 8 is the newest that onnxruntime 1.14 (bundled with transformers.js 2.x) reads. */
const IR_VERSION = 8;
const OPSET_VERSION = 13;
const ELEM_FLOAT = 1;
const ELEM_INT64 = 7;

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

type Field =
  | { no: number; kind: 'varint'; value: number }
  | { no: number; kind: 'bytes'; value: Uint8Array }
  | { no: number; kind: 'message'; value: Field[] };

const textEncoder = new TextEncoder();

const varint = (no: number, value: number): Field => ({ no, kind: 'varint', value });
const bytes = (no: number, value: Uint8Array): Field => ({ no, kind: 'bytes', value });
const str = (no: number, value: string): Field => bytes(no, textEncoder.encode(value));
const message = (no: number, value: Field[]): Field => ({ no, kind: 'message', value });

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

function writeVarint(out: Uint8Array, pos: number, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint out of range: ${value}`);
  while (value >= 0x80) {
    out[pos++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  out[pos++] = value;
  return pos;
}

function messageSize(fields: Field[], sizes: Map<Field[], number>): number {
  let total = 0;
  for (const field of fields) {
    total += varintSize(field.no * 8);
    if (field.kind === 'varint') {
      total += varintSize(field.value);
    } else {
      const length = field.kind === 'bytes' ? field.value.length : messageSize(field.value, sizes);
      total += varintSize(length) + length;
    }
  }
  sizes.set(fields, total);
  return total;
}

function writeMessage(out: Uint8Array, pos: number, fields: Field[], sizes: Map<Field[], number>): number {
  for (const field of fields) {
    if (field.kind === 'varint') {
      pos = writeVarint(out, pos, field.no * 8 + WIRE_VARINT);
      pos = writeVarint(out, pos, field.value);
    } else if (field.kind === 'bytes') {
      pos = writeVarint(out, pos, field.no * 8 + WIRE_LENGTH_DELIMITED);
      pos = writeVarint(out, pos, field.value.length);
      out.set(field.value, pos);
      pos += field.value.length;
    } else {
      pos = writeVarint(out, pos, field.no * 8 + WIRE_LENGTH_DELIMITED);
      pos = writeVarint(out, pos, sizes.get(field.value) ?? 0);
      pos = writeMessage(out, pos, field.value, sizes);
    }
  }
  return pos;
}

/** Serialises a protobuf message into one buffer without intermediate copies of large byte fields. */
function encode(fields: Field[]): Uint8Array {
  const sizes = new Map<Field[], number>();
  const out = new Uint8Array(messageSize(fields, sizes));
  const end = writeMessage(out, 0, fields, sizes);
  if (end !== out.length) throw new Error(`protobuf size mismatch: wrote ${end} of ${out.length} bytes`);
  return out;
}

/** A tensor dimension: a fixed size or a symbolic name (dynamic). */
type Dim = number | string;

function valueInfo(no: number, name: string, elemType: number, dims: Dim[]): Field {
  const shape = dims.map((dim) => message(1, [typeof dim === 'number' ? varint(1, dim) : str(2, dim)]));
  const tensorType = message(1, [varint(1, elemType), message(2, shape)]);
  return message(no, [str(1, name), message(2, [tensorType])]);
}

function littleEndianBytes(data: Float32Array): Uint8Array {
  if (endianness() === 'LE') return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  data.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return out;
}

function int64Initializer(name: string, values: number[]): Field {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((value, i) => view.setBigInt64(i * 8, BigInt(value), true));
  return message(5, [varint(1, values.length), varint(2, ELEM_INT64), str(8, name), bytes(9, raw)]);
}

/** What to encode: an embedding table and how the graph reads it. */
export interface GatherModelSpec {
  /** Row-major float32 table of `vocabSize * dims` values. */
  table: Float32Array;
  vocabSize: number;
  dims: number;
  /**
   * Sum the looked-up rows over the sequence axis, so `last_hidden_state` is [batch, 1, dims]:
   * bag-of-words pooling inside the graph instead of in JavaScript.
   */
  sumOverSequence?: boolean;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
}

/**
 * Encodes an ONNX ModelProto whose graph maps `input_ids` (int64 [batch, seq]) to
 * `last_hidden_state` (float32 [batch, seq, dims]) by `Gather(table, input_ids)`, or with
 * `sumOverSequence` to float32 [batch, 1, dims] by `ReduceSum(Gather(table, input_ids), axes=[1])`.
 */
export function encodeGatherModel(spec: GatherModelSpec): Uint8Array {
  const { table, vocabSize, dims } = spec;
  if (!Number.isInteger(vocabSize) || !Number.isInteger(dims) || vocabSize <= 0 || dims <= 0) {
    throw new RangeError(`invalid table shape [${vocabSize}, ${dims}]`);
  }
  if (table.length !== vocabSize * dims) {
    throw new RangeError(`table has ${table.length} values, expected ${vocabSize} x ${dims}`);
  }

  const initializer = message(5, [
    varint(1, vocabSize),
    varint(1, dims),
    varint(2, ELEM_FLOAT),
    str(8, 'table'),
    bytes(9, littleEndianBytes(table)),
  ]);
  const sum = spec.sumOverSequence === true;
  const gatherOutput = sum ? 'token_vectors' : 'last_hidden_state';
  const nodes = [
    message(1, [str(1, 'table'), str(1, 'input_ids'), str(2, gatherOutput), str(3, 'lookup'), str(4, 'Gather')]),
  ];
  const initializers = [initializer];
  if (sum) {
    // ReduceSum's keepdims attribute defaults to 1, which gives the [batch, 1, dims] shape.
    nodes.push(
      message(1, [str(1, gatherOutput), str(1, 'axes'), str(2, 'last_hidden_state'), str(3, 'pool'), str(4, 'ReduceSum')]),
    );
    initializers.push(int64Initializer('axes', [1]));
  }
  const graph = message(7, [
    ...nodes,
    str(2, 'embedding_lookup'),
    ...initializers,
    ...(spec.docString ? [str(10, spec.docString)] : []),
    valueInfo(11, 'input_ids', ELEM_INT64, ['batch_size', 'sequence_length']),
    valueInfo(12, 'last_hidden_state', ELEM_FLOAT, ['batch_size', sum ? 1 : 'sequence_length', dims]),
  ]);

  return encode([
    varint(1, IR_VERSION),
    str(2, spec.producerName ?? 'report-quote-bot'),
    ...(spec.producerVersion ? [str(3, spec.producerVersion)] : []),
    graph,
    message(8, [str(1, ''), varint(2, OPSET_VERSION)]),
  ]);
}

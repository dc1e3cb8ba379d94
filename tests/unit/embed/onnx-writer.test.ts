import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { encodeGatherModel } from '../../../src/embed/onnx-writer.js';

const VOCAB = 7;
const DIMS = 4;
const table = Float32Array.from({ length: VOCAB * DIMS }, (_, i) => (i % 5) - 2 + i / 100);
const row = (id: number) => Array.from(table.subarray(id * DIMS, (id + 1) * DIMS));

function ids(batch: number[][]): ort.Tensor {
  const flat = batch.flat().map((id) => BigInt(id));
  return new ort.Tensor('int64', BigInt64Array.from(flat), [batch.length, batch[0]?.length ?? 0]);
}

describe('encodeGatherModel', () => {
  it('writes a model onnxruntime loads, whose output rows are the table rows', async () => {
    const session = await ort.InferenceSession.create(encodeGatherModel({ table, vocabSize: VOCAB, dims: DIMS }));
    expect(session.inputNames).toEqual(['input_ids']);
    expect(session.outputNames).toEqual(['last_hidden_state']);

    const batch = [
      [6, 0, 3],
      [1, 1, 5],
    ];
    const output = (await session.run({ input_ids: ids(batch) })).last_hidden_state;
    expect(output?.dims).toEqual([2, 3, DIMS]);
    const data = Array.from(output?.data as Float32Array);
    expect(data).toEqual(batch.flat().flatMap(row));
  });

  it('accepts any batch size and sequence length (dynamic dims)', async () => {
    const session = await ort.InferenceSession.create(encodeGatherModel({ table, vocabSize: VOCAB, dims: DIMS }));
    for (const batch of [[[2]], [[0, 1, 2, 3, 4, 5, 6]], [[4], [5], [6]]]) {
      const output = (await session.run({ input_ids: ids(batch) })).last_hidden_state;
      expect(output?.dims).toEqual([batch.length, batch[0]?.length, DIMS]);
      expect(Array.from(output?.data as Float32Array)).toEqual(batch.flat().flatMap(row));
    }
  });

  it('sums the rows over the sequence when sumOverSequence is set', async () => {
    const model = encodeGatherModel({ table, vocabSize: VOCAB, dims: DIMS, sumOverSequence: true });
    const session = await ort.InferenceSession.create(model);
    const batch = [
      [1, 2, 0],
      [6, 6, 6],
    ];
    const output = (await session.run({ input_ids: ids(batch) })).last_hidden_state;
    expect(output?.dims).toEqual([2, 1, DIMS]);
    const expected = batch.flatMap((tokens) =>
      tokens.map(row).reduce((sum, r) => sum.map((value, d) => value + (r[d] as number))),
    );
    const actual = Array.from(output?.data as Float32Array);
    actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i] as number, 5));
  });

  it('uses the onnx.proto field numbers (decoded by an independent protobuf schema)', () => {
    const bytes = encodeGatherModel({ table, vocabSize: VOCAB, dims: DIMS, producerVersion: '3', docString: 'doc' });
    const model = onnxProto.onnx.ModelProto.decode(bytes);
    expect(Number(model.irVersion)).toBe(8);
    expect(model.producerName).toBe('report-quote-bot');
    expect(model.producerVersion).toBe('3');
    expect(model.opsetImport.map((opset) => Number(opset.version))).toEqual([13]);

    const graph = model.graph!;
    expect(graph.docString).toBe('doc');
    expect((graph.node ?? []).map((node) => [node.opType, node.input, node.output])).toEqual([
      ['Gather', ['table', 'input_ids'], ['last_hidden_state']],
    ]);
    const initializer = graph.initializer?.[0];
    expect(initializer?.name).toBe('table');
    expect(initializer?.dataType).toBe(1);
    expect((initializer?.dims ?? []).map(Number)).toEqual([VOCAB, DIMS]);
    expect(initializer?.rawData?.length).toBe(VOCAB * DIMS * 4);

    const input = graph.input?.[0];
    expect(input?.name).toBe('input_ids');
    expect(input?.type?.tensorType?.elemType).toBe(7);
    expect((input?.type?.tensorType?.shape?.dim ?? []).map((dim) => dim.dimParam)).toEqual(['batch_size', 'sequence_length']);
    const output = graph.output?.[0];
    expect(output?.name).toBe('last_hidden_state');
    expect((output?.type?.tensorType?.shape?.dim ?? []).map((dim) => dim.dimParam || Number(dim.dimValue))).toEqual([
      'batch_size',
      'sequence_length',
      DIMS,
    ]);
  });

  it('rejects a table that does not match its shape', () => {
    expect(() => encodeGatherModel({ table, vocabSize: VOCAB + 1, dims: DIMS })).toThrow(RangeError);
    expect(() => encodeGatherModel({ table: new Float32Array(0), vocabSize: 0, dims: DIMS })).toThrow(RangeError);
  });
});

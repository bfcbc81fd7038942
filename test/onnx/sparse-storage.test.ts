import { describe, expect, it } from 'vitest';
import { DType } from '../../src/ir/dtype.js';
import { float32ToFloat16 } from '../../src/ir/float16.js';
import { Model } from '../../src/ir/model.js';
import { Tensor } from '../../src/ir/tensor.js';
import { tensorType } from '../../src/ir/types.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeModel } from '../../src/onnx/import.js';
import { chooseSparseStorage, narrowestIndexType, storeSparse } from '../../src/onnx/sparse-storage.js';
import { outputDifference, runOrt } from '../helpers/ort.js';

/** y = MatMul(x[1,k], w[k,n]) with w given. */
function matmulModel(w: Tensor, irVersion = 8): Model {
  const m = new Model(new Map([['', 17]]));
  m.irVersion = irVersion;
  const g = m.graph;
  const x = g.addInput('x', tensorType(DType.FLOAT, [1, w.dims[0]]));
  const wv = g.addInitializer('w', w);
  const y = g.addNode({ opType: 'MatMul', inputs: [x, wv], outputs: ['y'] }).outputs[0]!;
  y.type = tensorType(DType.FLOAT, [1, w.dims[1]]);
  g.outputs = [y];
  return m;
}

function sparseWeights(rows: number, cols: number, every: number): Tensor {
  return new Tensor(DType.FLOAT, [rows, cols], Float32Array.from({ length: rows * cols }, (_, i) => (i % every === 0 ? (i % 13) - 6.5 : 0)));
}

describe('sparse initializer storage', () => {
  it.each([
    [1, 'int8'],
    [128, 'int8'],
    [129, 'int16'],
    [32768, 'int16'],
    [32769, 'int32'],
    [2 ** 31, 'int32'],
    [2 ** 31 + 1, 'int64'],
  ])('a tensor of %i elements gets %s indices by default', (size, type) => {
    expect(narrowestIndexType(size)).toBe(type);
  });

  it('keeps a tensor dense when sparse would not be smaller', () => {
    const half = sparseWeights(64, 64, 2);
    expect(chooseSparseStorage(half, 'int32').sparse).toBeNull();
    expect(chooseSparseStorage(half, 'int16').sparse).not.toBeNull();
  });

  it('holds the nonzeros and their ascending flat positions; float16 -0 counts as zero', () => {
    const bits = Uint16Array.from([0, 0x8000, float32ToFloat16(1.5), 0, 0, 0, 0, float32ToFloat16(-2), ...new Array(40).fill(0)]);
    const t = new Tensor(DType.FLOAT16, [6, 8], bits, 'h');
    const s = chooseSparseStorage(t).sparse!;
    const source = s.source as { kind: 'sparse'; values: Tensor; indices: Tensor };
    expect([...(source.values.data as Uint16Array)]).toEqual([float32ToFloat16(1.5), float32ToFloat16(-2)]);
    expect(source.indices.dtype).toBe(DType.INT8);
    expect([...(source.indices.data as Int8Array)]).toEqual([2, 7]);
    expect(s.countZeros()).toBe(46);
  });

  it('rejects an index type too narrow for the tensor', () => {
    expect(() => chooseSparseStorage(sparseWeights(20, 20, 9), 'int8')).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });

  it.each(['auto', 'int16', 'int32', 'int64'] as const)('round-trips through the file and onnxruntime gives the dense outputs (%s indices, int8 for auto)', async (indexType) => {
    const dense = matmulModel(sparseWeights(12, 10, 7));
    const x = new Tensor(DType.FLOAT, [1, 12], Float32Array.from({ length: 12 }, (_, i) => i - 5.5));
    const expected = await runOrt(encodeModel(dense).bytes, { x });
    const sparse = matmulModel(sparseWeights(12, 10, 7));
    expect(storeSparse(sparse, indexType).converted.map((c) => [c.name, c.indexType])).toEqual([['w', indexType === 'auto' ? 'int8' : indexType]]);
    const bytes = encodeModel(sparse).bytes;
    const back = decodeModel(bytes).graph.lookup('w')!.initializer!;
    expect(back.storageKind).toBe('sparse');
    expect(back.data).toEqual(sparseWeights(12, 10, 7).data);
    expect(outputDifference(expected, await runOrt(bytes, { x }))).toBeUndefined();
  });

  it('leaves models before IR version 6 (no sparse_initializer) and initializers that are graph inputs dense', () => {
    expect(storeSparse(matmulModel(sparseWeights(40, 40, 9), 5)).converted).toEqual([]);
    const m = matmulModel(sparseWeights(40, 40, 9));
    m.graph.inputs.push(m.graph.lookup('w')!);
    expect(storeSparse(m).converted).toEqual([]);
  });
});

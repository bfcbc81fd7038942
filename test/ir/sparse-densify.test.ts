import { describe, expect, it } from 'vitest';
import { DType } from '../../src/ir/dtype.js';
import { Tensor } from '../../src/ir/tensor.js';

/** A sparse tensor as a pass or a caller could build it, with indices that import would have refused. */
function sparse(dtype: DType, dims: number[], values: Tensor, indices: Tensor): Tensor {
  return new Tensor(dtype, dims, { kind: 'sparse', values, indices }, 'w');
}

describe('densifying a sparse tensor', () => {
  it('places values at their flat or per-dim coordinates', () => {
    const flat = sparse(DType.FLOAT, [2, 3], Tensor.fromNumbers(DType.FLOAT, [2], [5, 7]), Tensor.fromNumbers(DType.INT64, [2], [1, 5]));
    expect([...(flat.data as Float32Array)]).toEqual([0, 5, 0, 0, 0, 7]);
    const coords = sparse(DType.STRING, [2, 3], new Tensor(DType.STRING, [2], ['a', 'b']), Tensor.fromNumbers(DType.INT64, [2, 2], [0, 2, 1, 0]));
    expect(coords.data).toEqual(['', '', 'a', 'b', '', '']);
  });

  it('refuses indices outside the tensor, for strings as for numbers', () => {
    const strings = sparse(DType.STRING, [3], new Tensor(DType.STRING, [1], ['x']), Tensor.fromNumbers(DType.INT64, [1], [7]));
    expect(() => strings.data).toThrow(expect.objectContaining({ code: 'E_MODEL_INVALID', message: expect.stringMatching(/index 7 outside its 3 elements/) }));
    const negative = sparse(DType.FLOAT, [3], Tensor.fromNumbers(DType.FLOAT, [1], [1]), Tensor.fromNumbers(DType.INT64, [1], [-1]));
    expect(() => negative.data).toThrow(/index -1 outside its 3 elements/);
    const wideColumn = sparse(DType.STRING, [2, 3], new Tensor(DType.STRING, [1], ['x']), Tensor.fromNumbers(DType.INT64, [1, 2], [0, 4]));
    expect(() => wideColumn.data).toThrow(/coordinate 4 outside dim 1 of size 3/);
  });
});

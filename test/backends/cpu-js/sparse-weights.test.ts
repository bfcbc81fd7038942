import { describe, expect, it } from 'vitest';
import { SPARSE_THRESHOLD, sparsity, toCsr } from '../../../backends/cpu-js/sparse/csr.js';
import { expectSameAsOrtWithConstants } from './constant-inputs.js';
import { attr, f32, OpCase, pseudoRandom } from './op-check.js';

const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
const rand = (dims: number[], seed: number) => f32(dims, pseudoRandom(size(dims), seed));
/** Values with a fraction `zeros` of them exactly 0 (every position decided by a second sequence). */
function pruned(dims: number[], seed: number, zeros: number) {
  const keep = pseudoRandom(size(dims), seed + 100);
  return f32(dims, pseudoRandom(size(dims), seed).map((v, i) => ((keep[i] + 1) / 2 < zeros ? 0 : v)));
}

describe('sparse weights take the CSR kernels and agree with onnxruntime', () => {
  it('the test weights are above the threshold', () => {
    expect(sparsity(pruned([64, 64], 1, 0.9).data as Float32Array)).toBeGreaterThan(SPARSE_THRESHOLD);
  });

  it('CSR keeps every nonzero in row order', () => {
    const csr = toCsr([0, 2, 0, 3, 0, 0, 4, 0], 0, 4, 1, 2, 4, 1);
    expect([...csr.rowStart]).toEqual([0, 2, 3]);
    expect([...csr.column]).toEqual([1, 3, 2]);
    expect([...csr.value]).toEqual([2, 3, 4]);
  });

  const matmuls: [string, number[]][] = [
    ['MatMul, 3 rows (one sparse matrix-vector product per row)', [3, 70]],
    ['MatMul, 20 rows (NR-column panels)', [20, 70]],
    ['MatMul, batched A [2, 5, 70]', [2, 5, 70]],
  ];
  for (const [name, a] of matmuls) it(name, async () => expectSameAsOrtWithConstants({ op: 'MatMul', inputs: [rand(a, 1), pruned([70, 33], 2, 0.9)] }, [1]));

  const gemms: [string, OpCase][] = [
    ['Gemm transB with a vector C, 1 row', { op: 'Gemm', inputs: [rand([1, 64], 3), pruned([40, 64], 4, 0.85), rand([40], 5)], attributes: [attr.int('transB', 1)] }],
    ['Gemm with alpha, beta and a full C, 12 rows', { op: 'Gemm', inputs: [rand([12, 64], 6), pruned([64, 40], 7, 0.9), rand([12, 40], 8)], attributes: [attr.float('alpha', 0.5), attr.float('beta', -2)] }],
    ['Gemm with a scalar C and a column C', { op: 'Gemm', inputs: [rand([9, 30], 9), pruned([30, 17], 10, 0.95), rand([9, 1], 11)] }],
  ];
  for (const [name, c] of gemms) it(name, async () => expectSameAsOrtWithConstants(c, [1, 2]));

  const convs: [string, OpCase][] = [
    ['Conv 3×3, pads, stride 2, groups 2, bias', { op: 'Conv', inputs: [rand([2, 8, 11, 10], 12), pruned([12, 4, 3, 3], 13, 0.9), rand([12], 14)], attributes: [attr.int('group', 2), attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])] }],
    ['Conv 3×3 stride 1 (Winograd would destroy the zeros)', { op: 'Conv', inputs: [rand([1, 16, 9, 9], 15), pruned([16, 16, 3, 3], 16, 0.9), rand([16], 17)], attributes: [attr.ints('pads', [1, 1, 1, 1])] }],
    ['Conv 1×1 pointwise', { op: 'Conv', inputs: [rand([1, 32, 5, 7], 18), pruned([24, 32, 1, 1], 19, 0.9)] }],
  ];
  for (const [name, c] of convs) it(name, async () => expectSameAsOrtWithConstants(c, c.inputs.length > 2 ? [1, 2] : [1]));

  it('FusedConv with Relu', async () =>
    expectSameAsOrtWithConstants(
      { op: 'FusedConv', domain: 'com.microsoft', opset: 1, inputs: [rand([1, 8, 7, 7], 20), pruned([10, 8, 3, 3], 21, 0.9), rand([10], 22)], attributes: [attr.string('activation', 'Relu'), attr.ints('pads', [1, 1, 1, 1])] },
      [1, 2],
    ));
});

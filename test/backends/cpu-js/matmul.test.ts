import { describe, expect, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { expectSameAsOrtWithConstants } from './constant-inputs.js';
import { attr, expectSameAsOrt, f32, OpCase, pseudoRandom, runCpuTensors, tensor } from './op-check.js';

const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
const rand = (dims: number[], seed: number) => f32(dims, pseudoRandom(size(dims), seed));
const bytes = (dtype: DType, dims: number[], seed: number) => {
  const lo = dtype === DType.INT8 ? -128 : 0;
  return tensor(dtype, dims, pseudoRandom(size(dims), seed).map((v) => lo + Math.floor((v + 1) * 127.9)));
};

describe('MatMul against onnxruntime', () => {
  const shapes: [string, number[], number[]][] = [
    ['2-D with edge tiles', [13, 37], [37, 19]],
    ['1-D · 2-D', [33], [33, 10]],
    ['2-D · 1-D', [7, 33], [33]],
    ['1-D · 1-D', [20], [20]],
    ['batched B broadcast over A batches', [2, 3, 5, 17], [17, 9]],
    ['batch broadcast both ways', [2, 1, 6, 8], [3, 8, 5]],
    ['larger than a chunk of B panels', [5, 300], [300, 700]],
    ['one batch of matrices each', [4, 7, 9], [4, 9, 11]],
  ];
  for (const [name, a, b] of shapes) {
    const c: OpCase = { op: 'MatMul', inputs: [rand(a, 1), rand(b, 2)] };
    it(name, async () => expectSameAsOrt(c));
    it(`${name}, constant B`, async () => expectSameAsOrtWithConstants(c, [1]));
  }

  it('int32 wraps like C', async () => {
    const a = tensor(DType.INT32, [2, 2], [65536, 3, -7, 2 ** 30]);
    const b = tensor(DType.INT32, [2, 2], [65536, 1, 4, 5]);
    const [y] = await runCpuTensors({ op: 'MatMul', inputs: [a, b] });
    const wrapped = (x: bigint) => Number(BigInt.asIntN(32, x));
    expect([...(y.data as Int32Array)]).toEqual([wrapped(2n ** 32n + 12n), 65536 + 15, wrapped(-7n * 65536n + 4n * 2n ** 30n), wrapped(-7n + 5n * 2n ** 30n)]);
  });

  it('int64', async () => expectSameAsOrt({ op: 'MatMul', inputs: [tensor(DType.INT64, [2, 3], [1, -2, 3, 4, 5, -6]), tensor(DType.INT64, [3, 2], [7, 8, -9, 10, 11, 12])] }));

  it('double', async () => {
    const a = Tensor.fromNumbers(DType.DOUBLE, [3, 4], pseudoRandom(12, 5));
    const b = Tensor.fromNumbers(DType.DOUBLE, [4, 2], pseudoRandom(8, 6));
    await expectSameAsOrt({ op: 'MatMul', inputs: [a, b] }, { rtol: 1e-12, atol: 1e-14 });
  });
});

describe('MatMulInteger against onnxruntime', () => {
  it('uint8 with scalar zero points, batched', async () =>
    expectSameAsOrt({ op: 'MatMulInteger', inputs: [bytes(DType.UINT8, [2, 5, 30], 1), bytes(DType.UINT8, [30, 11], 2), tensor(DType.UINT8, [], [12]), tensor(DType.UINT8, [], [200])] }));
  it('int8 A, per-column B zero points', async () =>
    expectSameAsOrt({ op: 'MatMulInteger', inputs: [bytes(DType.INT8, [7, 19], 3), bytes(DType.UINT8, [19, 9], 4), tensor(DType.INT8, [], [-3]), tensor(DType.UINT8, [9], [1, 2, 3, 4, 5, 6, 7, 8, 9])] }));
  it('without zero points', async () => expectSameAsOrt({ op: 'MatMulInteger', inputs: [bytes(DType.UINT8, [4, 6], 5), bytes(DType.UINT8, [6, 3], 6)] }));
});

describe('Gemm against onnxruntime', () => {
  const A = rand([6, 9], 1);
  const At = rand([9, 6], 2);
  const B = rand([9, 10], 3);
  const Bt = rand([10, 9], 4);
  const cases: [string, OpCase][] = [
    ['alpha, beta, transA, transB, full C', { op: 'Gemm', inputs: [At, Bt, rand([6, 10], 5)], attributes: [attr.float('alpha', 0.7), attr.float('beta', -1.3), attr.int('transA', 1), attr.int('transB', 1)] }],
    ['vector C [N]', { op: 'Gemm', inputs: [A, B, rand([10], 6)] }],
    ['column C [M, 1]', { op: 'Gemm', inputs: [A, B, rand([6, 1], 7)], attributes: [attr.float('beta', 2)] }],
    ['scalar C', { op: 'Gemm', inputs: [A, B, rand([1], 8)] }],
    ['no C', { op: 'Gemm', inputs: [A, B], attributes: [attr.float('alpha', 3)] }],
    ['beta 0 ignores C', { op: 'Gemm', inputs: [A, B, rand([6, 10], 9)], attributes: [attr.float('beta', 0)] }],
    ['transB weight as in a Linear layer', { op: 'Gemm', inputs: [rand([3, 70], 10), rand([50, 70], 11), rand([50], 12)], attributes: [attr.int('transB', 1)] }],
  ];
  for (const [name, c] of cases) {
    it(name, async () => expectSameAsOrt(c));
    it(`${name}, constant B and C`, async () => expectSameAsOrtWithConstants(c, c.inputs.length > 2 ? [1, 2] : [1]));
  }
});

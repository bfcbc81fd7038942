import { describe, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { attr, expectSameAsOrt, f32, i64, pseudoRandom, tensor } from './op-check.js';

const x = f32([2, 3, 4], pseudoRandom(24).map((v) => v * 5));

describe('Softmax, LogSoftmax, Hardmax against onnxruntime', () => {
  for (const op of ['Softmax', 'LogSoftmax', 'Hardmax']) {
    for (const axis of [0, 1, -1]) {
      it(`${op} opset 13 axis ${axis}`, async () => expectSameAsOrt({ op, opset: 13, inputs: [x], attributes: [attr.int('axis', axis)] }));
      it(`${op} opset 11 axis ${axis} (2-D coercion)`, async () => expectSameAsOrt({ op, opset: 11, inputs: [x], attributes: [attr.int('axis', axis)] }));
    }
    it(`${op} opset 11 default axis`, async () => expectSameAsOrt({ op, opset: 11, inputs: [x] }));
  }
  it('Softmax of large numbers stays finite', async () => expectSameAsOrt({ op: 'Softmax', opset: 13, inputs: [f32([2, 3], [1000, 1001, 1002, -1000, 0, 1000])] }));
  it('Hardmax picks the first of equal maxima', async () => expectSameAsOrt({ op: 'Hardmax', opset: 13, inputs: [f32([2, 4], [1, 3, 3, 0, 2, 2, 2, 2])] }));
});

describe('ArgMax, ArgMin against onnxruntime', () => {
  const ties = f32([3, 4], [1, 5, 5, 0, 2, 2, 2, 2, 7, 1, 7, 1]);
  for (const op of ['ArgMax', 'ArgMin']) {
    for (const last of [0, 1]) {
      for (const axis of [0, 1]) {
        it(`${op} axis ${axis} select_last_index ${last}`, async () => expectSameAsOrt({ op, opset: 13, inputs: [ties], attributes: [attr.int('axis', axis), attr.int('select_last_index', last)] }));
      }
    }
    it(`${op} 3-D without keepdims`, async () => expectSameAsOrt({ op, opset: 13, inputs: [x], attributes: [attr.int('axis', -2), attr.int('keepdims', 0)] }));
    it(`${op} on int32`, async () => expectSameAsOrt({ op, opset: 13, inputs: [tensor(DType.INT32, [2, 3], [4, -1, 9, 9, 0, -3])], attributes: [attr.int('axis', 1)] }));
  }
});

describe('CumSum against onnxruntime', () => {
  for (const exclusive of [0, 1]) {
    for (const reverse of [0, 1]) {
      it(`exclusive ${exclusive} reverse ${reverse}, axis 1`, async () => expectSameAsOrt({ op: 'CumSum', inputs: [x, i64([], [1])], attributes: [attr.int('exclusive', exclusive), attr.int('reverse', reverse)] }));
    }
  }
  it('int64 along axis -1 given as int32', async () => expectSameAsOrt({ op: 'CumSum', inputs: [tensor(DType.INT64, [2, 3], [1, 2, 3, 4, 5, 6]), tensor(DType.INT32, [], [-1])] }));
  it('int32, reverse exclusive on axis 0', async () => expectSameAsOrt({ op: 'CumSum', inputs: [tensor(DType.INT32, [3, 2], [1, -2, 3, 4, 5, -6]), i64([], [0])], attributes: [attr.int('exclusive', 1), attr.int('reverse', 1)] }));
});

describe('Einsum against onnxruntime', () => {
  const a = f32([2, 3, 4], pseudoRandom(24, 2));
  const b = f32([2, 4, 5], pseudoRandom(40, 3));
  const m = f32([4, 4], pseudoRandom(16, 4));
  const cases: [string, string, ReturnType<typeof f32>[]][] = [
    ['batched matmul', 'bij,bjk->bik', [a, b]],
    ['implicit output (sorted free labels)', 'bij,bjk', [a, b]],
    ['ellipsis with broadcasting', '...ij,jk->...ik', [a, m]],
    ['trace', 'ii', [m]],
    ['diagonal', 'ii->i', [m]],
    ['transpose', 'bij->jbi', [a]],
    ['sum everything', 'bij->', [a]],
    ['outer product of three', 'i,j,k->ijk', [f32([2], [1, 2]), f32([3], [3, 4, 5]), f32([2], [-1, 0.5])]],
    ['spaces in the equation', 'b i j , b j k -> b k', [a, b]],
  ];
  for (const [name, equation, inputs] of cases) it(name, async () => expectSameAsOrt({ op: 'Einsum', opset: 12, inputs, attributes: [attr.string('equation', equation)] }));
  it('int32 inner product', async () =>
    expectSameAsOrt({ op: 'Einsum', opset: 12, inputs: [tensor(DType.INT32, [3], [1, 2, 3]), tensor(DType.INT32, [3], [4, -5, 6])], attributes: [attr.string('equation', 'i,i')] }));
});

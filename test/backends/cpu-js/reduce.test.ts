import { describe, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { expectSameAsOrtWithConstants } from './constant-inputs.js';
import { attr, expectSameAsOrt, f32, i64, pseudoRandom, tensor } from './op-check.js';

const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
const x = f32([2, 3, 4, 5], pseudoRandom(120).map((v) => v * 2 + 0.1));
const positive = f32([2, 3, 4], pseudoRandom(24, 3).map((v) => v + 1.5));
const ops = ['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'];

describe('Reduce ops against onnxruntime', () => {
  for (const op of ops) {
    const input = op === 'ReduceLogSum' ? positive : x;
    it(`${op} axes attribute [0, -1], keepdims (opset 13)`, async () => expectSameAsOrt({ op, opset: 13, inputs: [input], attributes: op === 'ReduceSum' ? [] : [attr.ints('axes', [0, -1])] }));
    it(`${op} axes input [1], no keepdims (opset 18)`, async () => expectSameAsOrt({ op, opset: 18, inputs: [input, i64([1], [1])], attributes: [attr.int('keepdims', 0)] }));
    it(`${op} constant axes input [2, 0] (opset 18)`, async () => expectSameAsOrtWithConstants({ op, opset: 18, inputs: [input, i64([2], [2, 0])] }, [1]));
    it(`${op} all axes when none are given (opset 18)`, async () => expectSameAsOrt({ op, opset: 18, inputs: [input] }));
  }
  it('ReduceSum noop_with_empty_axes returns the input', async () => expectSameAsOrt({ op: 'ReduceSum', opset: 13, inputs: [x, i64([0], [])], attributes: [attr.int('noop_with_empty_axes', 1)] }));
  it('ReduceSum int32 and int64', async () => {
    await expectSameAsOrt({ op: 'ReduceSum', opset: 13, inputs: [tensor(DType.INT32, [3, 4], [...Array(12).keys()].map((v) => v * 7 - 30)), i64([1], [1])] });
    await expectSameAsOrt({ op: 'ReduceSum', opset: 13, inputs: [tensor(DType.INT64, [3, 4], [...Array(12).keys()].map((v) => v * 7 - 30)), i64([1], [0])] });
  });
  it('ReduceMax and ReduceMean on int64', async () => {
    const t = tensor(DType.INT64, [2, 5], [...Array(10).keys()].map((v) => (v * 37) % 11 - 5));
    await expectSameAsOrt({ op: 'ReduceMax', opset: 18, inputs: [t, i64([1], [1])] });
    await expectSameAsOrt({ op: 'ReduceMin', opset: 18, inputs: [t, i64([1], [0])] });
  });
  it('ReduceMean over a 5-D tensor, axes [1, 3, 4]', async () => expectSameAsOrt({ op: 'ReduceMean', opset: 18, inputs: [f32([2, 3, 2, 2, 3], pseudoRandom(size([2, 3, 2, 2, 3]))), i64([3], [1, 3, 4])] }));
});

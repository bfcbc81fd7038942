import { describe, expect, it } from 'vitest';
import { cpuEvaluator } from '../../../backends/cpu-js/evaluator.js';
import { DType } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { f32, singleNodeModel } from './graph-builder.js';

function evaluate(op: string, inputs: Tensor[]): Tensor {
  const { node } = singleNodeModel(op, inputs);
  expect(cpuEvaluator.supports(node)).toBe(true);
  return cpuEvaluator.evaluate(node, inputs)[0];
}

describe('example kernels', () => {
  it('Add broadcasts a row over a matrix', () => {
    const y = evaluate('Add', [f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([3], [10, 20, 30])]);
    expect(y.dims).toEqual([2, 3]);
    expect([...(y.data as Float32Array)]).toEqual([11, 22, 33, 14, 25, 36]);
  });

  it('Sub broadcasts both ways ([2,1] - [1,3])', () => {
    const y = evaluate('Sub', [f32([2, 1], [10, 20]), f32([1, 3], [1, 2, 3])]);
    expect(y.dims).toEqual([2, 3]);
    expect([...(y.data as Float32Array)]).toEqual([9, 8, 7, 19, 18, 17]);
  });

  it('Mul wraps int32 like C and Div truncates int64 toward zero', () => {
    const big = Tensor.fromNumbers(DType.INT32, [1], [65536]);
    expect([...(evaluate('Mul', [big, big]).data as Int32Array)]).toEqual([0]);
    const y = evaluate('Div', [Tensor.fromNumbers(DType.INT64, [2], [-7, 7]), Tensor.fromNumbers(DType.INT64, [1], [2])]);
    expect([...(y.data as BigInt64Array)]).toEqual([-3n, 3n]);
  });

  it('Relu zeroes negatives and keeps NaN', () => {
    const y = evaluate('Relu', [f32([4], [-1, 0, 2, NaN])]);
    expect([...(y.data as Float32Array)]).toEqual([0, 0, 2, NaN]);
  });

  it('Relu computes float16 in float32 and returns float16 bits', () => {
    // float16 bits: -2.0 = 0xc000, 1.5 = 0x3e00
    const y = evaluate('Relu', [new Tensor(DType.FLOAT16, [2], new Uint16Array([0xc000, 0x3e00]))]);
    expect(y.dtype).toBe(DType.FLOAT16);
    expect([...(y.data as Uint16Array)]).toEqual([0, 0x3e00]);
  });

  it('MatMul multiplies batched matrices with a broadcast batch', () => {
    const a = f32([2, 1, 2], [1, 2, 3, 4]);
    const b = f32([2, 2], [1, 0, 1, 1]);
    const y = evaluate('MatMul', [a, b]);
    expect(y.dims).toEqual([2, 1, 2]);
    expect([...(y.data as Float32Array)]).toEqual([3, 2, 7, 4]);
  });

  it('MatMul drops the dims added for 1-D operands', () => {
    const y = evaluate('MatMul', [f32([2], [1, 2]), f32([2, 3], [1, 2, 3, 4, 5, 6])]);
    expect(y.dims).toEqual([3]);
    expect([...(y.data as Float32Array)]).toEqual([9, 12, 15]);
  });

  it('reports an op without a kernel', () => {
    const { node } = singleNodeModel('NoSuchOp', [f32([1], [0])]);
    expect(cpuEvaluator.supports(node)).toMatch(/no kernel/);
  });
});

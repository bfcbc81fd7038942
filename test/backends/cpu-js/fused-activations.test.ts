/**
 * The cpu-js plan fuses a Relu or a constant Clip that alone reads a Conv's output into the Conv
 * (applied as outputs are stored): fewer kernel calls, the same results as onnxruntime-node runs
 * for the unfused graph. Values that something else also reads, or that are graph outputs, keep
 * their own step.
 */
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../backends/cpu-js/compile.js';
import { DType } from '../../../src/ir/dtype.js';
import { Model } from '../../../src/ir/model.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { Dim, tensorType } from '../../../src/ir/types.js';
import type { Value } from '../../../src/ir/value.js';
import { encodeModel } from '../../../src/onnx/export.js';
import { compareOutputs } from '../../helpers/diff.js';
import { runOrt } from '../../helpers/ort.js';
import { attr, pseudoRandom } from './op-check.js';

const X = [1, 6, 9, 9];

function f32(dims: number[], seed: number): Tensor {
  return Tensor.fromNumbers(DType.FLOAT, dims, pseudoRandom(dims.reduce((a, b) => a * b, 1), seed));
}

/** A model whose body `build` writes from input x; `outputs` picks the graph outputs. */
function model(build: (m: Model, x: Value) => Value[], opset = 17): Model {
  const m = new Model(new Map([['', opset]]));
  const x = m.graph.addInput('x', tensorType(DType.FLOAT, X as Dim[]));
  m.graph.outputs = build(m, x);
  return m;
}

let counter = 0;
function conv(m: Model, x: Value, kernel = 3, outChannels = 10): Value {
  const g = m.graph;
  const k = counter++;
  const w = g.addInitializer(`w${k}`, f32([outChannels, x === m.graph.inputs[0] ? X[1] : 10, kernel, kernel], 10 + k));
  const b = g.addInitializer(`b${k}`, f32([outChannels], 30 + k));
  return g.addNode({ opType: 'Conv', inputs: [x, w, b], outputs: [`c${k}`], attributes: [attr.ints('pads', Array(4).fill((kernel - 1) / 2))] }).outputs[0]!;
}

function unary(m: Model, op: string, x: Value, extra: (Value | null)[] = [], attributes = [] as ReturnType<typeof attr.float>[]): Value {
  return m.graph.addNode({ opType: op, inputs: [x, ...extra], outputs: [`${op.toLowerCase()}${counter++}`], attributes }).outputs[0]!;
}

function scalar(m: Model, value: number): Value {
  return m.graph.addInitializer(`s${counter++}`, Tensor.fromNumbers(DType.FLOAT, [], [value]));
}

/** Runs on cpu-js and in onnxruntime-node; returns cpu-js's kernel call count after checking the outputs agree. */
async function kernelCallsAgreeingWithOrt(m: Model, threads = 1): Promise<number> {
  const feeds = { x: f32(X, 99) };
  const exe = compileGraph(m.graph, { threads });
  try {
    const actual = await exe.run(feeds);
    const expected = await runOrt(encodeModel(m).bytes, feeds);
    expect(compareOutputs(expected, actual as Record<string, Tensor>)).toBeUndefined();
    return exe.stats()!.kernelCalls;
  } finally {
    await exe.dispose();
  }
}

describe('activation fusion in the cpu-js plan', () => {
  it('Conv → Relu, 3×3 (Winograd) and 1×1 (GEMM): one kernel call each', async () => {
    const m = model((m, x) => [unary(m, 'Relu', conv(m, unary(m, 'Relu', conv(m, x)), 1))]);
    expect(await kernelCallsAgreeingWithOrt(m)).toBe(2);
  });

  it('Conv → Clip with constant bounds (opset 11 inputs, one bound missing) and Clip with attributes (opset 6)', async () => {
    const both = model((m, x) => [unary(m, 'Clip', conv(m, x), [scalar(m, -0.3), scalar(m, 0.4)])]);
    expect(await kernelCallsAgreeingWithOrt(both)).toBe(1);
    const maxOnly = model((m, x) => [unary(m, 'Clip', conv(m, x), [null, scalar(m, 0.2)])]);
    expect(await kernelCallsAgreeingWithOrt(maxOnly)).toBe(1);
    const old = model((m, x) => [unary(m, 'Clip', conv(m, x), [], [attr.float('min', -0.1), attr.float('max', 0.25)])], 6);
    expect(await kernelCallsAgreeingWithOrt(old)).toBe(1);
  });

  it('a chain Conv → Clip → Relu composes into one clamp', async () => {
    const m = model((m, x) => [unary(m, 'Relu', unary(m, 'Clip', conv(m, x), [scalar(m, -0.5), scalar(m, 0.3)]))]);
    expect(await kernelCallsAgreeingWithOrt(m)).toBe(1);
  });

  it('not fused: the Conv output is also a graph output, or read twice; Clip bounds computed at run time', async () => {
    const alsoOutput = model((m, x) => {
      const c = conv(m, x);
      return [unary(m, 'Relu', c), c];
    });
    expect(await kernelCallsAgreeingWithOrt(alsoOutput)).toBe(2);
    const readTwice = model((m, x) => {
      const c = conv(m, x);
      return [m.graph.addNode({ opType: 'Add', inputs: [unary(m, 'Relu', c), c], outputs: ['sum'] }).outputs[0]!];
    });
    expect(await kernelCallsAgreeingWithOrt(readTwice)).toBe(3);
    const runtimeBound = model((m, x) => {
      const lo = m.graph.addNode({ opType: 'ReduceMin', inputs: [x], outputs: ['lo'], attributes: [attr.int('keepdims', 0)] }).outputs[0]!;
      return [unary(m, 'Clip', conv(m, x), [lo])];
    });
    expect(await kernelCallsAgreeingWithOrt(runtimeBound)).toBe(3);
  });

  it('fused on worker threads too (the clamp travels with the task)', async () => {
    const m = model((m, x) => [unary(m, 'Relu', conv(m, conv(m, x)))]);
    expect(await kernelCallsAgreeingWithOrt(m, 2)).toBe(2);
  });
});

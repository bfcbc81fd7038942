import { describe, expect, it } from 'vitest';
import { cpuJsBackend } from '../../../backends/cpu-js/backend.js';
import type { Executable, Feeds } from '../../../src/backend/backend.js';
import { ShearsError } from '../../../src/error.js';
import { DType } from '../../../src/ir/dtype.js';
import { Model } from '../../../src/ir/model.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { tensorType } from '../../../src/ir/types.js';
import { f32 } from './graph-builder.js';

type SyncExecutable = Executable & { runSync(inputs: Feeds): Feeds };

/** x → Add(x, x) → Relu → Add(·, x) → … : `length` intermediates, each [n] floats, only a few alive at once. */
function chainModel(length: number, n: number | string): Model {
  const m = new Model(new Map([['', 17]]));
  const g = m.graph;
  const x = g.addInput('x', tensorType(DType.FLOAT, [n]));
  let cur = x;
  for (let i = 0; i < length; i++) {
    const node = g.addNode({ opType: i % 2 ? 'Relu' : 'Add', inputs: i % 2 ? [cur] : [cur, x], outputs: [`t${i}`] });
    cur = node.outputs[0]!;
  }
  g.outputs = [cur];
  return m;
}

/** The chain in float32 arithmetic. */
function reference(length: number, input: number[]): number[] {
  const x = input.map(Math.fround);
  let cur = x;
  for (let i = 0; i < length; i++) cur = i % 2 ? cur.map((v) => Math.max(v, 0)) : cur.map((v, j) => Math.fround(v + x[j]));
  return cur;
}

describe('cpu-js executor', () => {
  it('reuses buffers: peak activation bytes far below the sum of intermediates, same results on every run', () => {
    const exe = cpuJsBackend.compile(chainModel(20, 1000)) as SyncExecutable;
    for (let run = 0; run < 3; run++) {
      const x = Array.from({ length: 1000 }, (_, i) => Math.sin(i + run) * 3);
      const y = exe.runSync({ x: f32([1000], x) }).t19 as Tensor;
      expect([...(y.data as Float32Array)]).toEqual(reference(20, x));
    }
    const stats = exe.stats()!;
    expect(stats.sumIntermediateBytes).toBe(19 * 4000);
    expect(stats.peakActivationBytes).toBeLessThanOrEqual(2 * 4032);
  });

  it('plans at compile time from inferred shapes when the inputs are static', () => {
    const exe = cpuJsBackend.compile(chainModel(20, 1000)) as SyncExecutable;
    const predicted = exe.stats();
    expect(predicted).not.toBeNull();
    expect(predicted!.sumIntermediateBytes).toBe(19 * 4000);
    const x = Array.from({ length: 1000 }, (_, i) => Math.cos(i) * 2);
    expect([...(exe.runSync({ x: f32([1000], x) }).t19 as Tensor).data as Float32Array]).toEqual(reference(20, x));
    expect(exe.stats()).toEqual(predicted);
  });

  it('has no compile-time plan for a symbolic input dim', () => {
    expect(cpuJsBackend.compile(chainModel(4, 'N')).stats()).toBeNull();
  });

  it('plans again for a new input size of a symbolic dim', () => {
    const exe = cpuJsBackend.compile(chainModel(4, 'N')) as SyncExecutable;
    for (const n of [3, 5, 3]) {
      const x = Array.from({ length: n }, (_, i) => i - 1);
      const y = exe.runSync({ x: f32([n], x) }).t3 as Tensor;
      expect([...(y.data as Float32Array)]).toEqual(reference(4, x));
    }
  });

  it('keeps a view alive: the buffer under a Reshape output is not reused while the view is read', () => {
    // a = Relu(x); b = Reshape(a) views a; c = Neg(x) must not land in a's bytes; y = b + c.
    const m = new Model(new Map([['', 17]]));
    const g = m.graph;
    const x = g.addInput('x', tensorType(DType.FLOAT, [2, 3]));
    const shape = g.addInitializer('shape', Tensor.fromNumbers(DType.INT64, [1], [6]));
    const flat = g.addInitializer('flat', Tensor.fromNumbers(DType.INT64, [1], [6]));
    const a = g.addNode({ opType: 'Relu', inputs: [x], outputs: ['a'] }).outputs[0]!;
    const b = g.addNode({ opType: 'Reshape', inputs: [a, shape], outputs: ['b'] }).outputs[0]!;
    const xf = g.addNode({ opType: 'Reshape', inputs: [x, flat], outputs: ['xf'] }).outputs[0]!;
    const c = g.addNode({ opType: 'Neg', inputs: [xf], outputs: ['c'] }).outputs[0]!;
    const y = g.addNode({ opType: 'Add', inputs: [b, c], outputs: ['y'] }).outputs[0]!;
    const r = g.addNode({ opType: 'Reshape', inputs: [y, shape], outputs: ['r'] }).outputs[0]!;
    g.outputs = [r];
    const exe = cpuJsBackend.compile(m) as SyncExecutable;
    const values = [-1, 2, -3, 4, -5, 6];
    const first = exe.runSync({ x: f32([2, 3], values) }).r as Tensor;
    const expected = values.map((v) => Math.max(v, 0) - v);
    expect([...(first.data as Float32Array)]).toEqual(expected);
    const second = exe.runSync({ x: f32([2, 3], values.map((v) => v * 10)) }).r as Tensor;
    expect([...(second.data as Float32Array)]).toEqual(expected.map((v) => v * 10));
    expect([...(first.data as Float32Array)], 'an output from an earlier run is not overwritten').toEqual(expected);
  });

  it('rejects an input of the wrong shape, naming the input and the expected shape', () => {
    const exe = cpuJsBackend.compile(chainModel(2, 4)) as SyncExecutable;
    expect(() => exe.runSync({ x: f32([3], [1, 2, 3]) })).toThrow(/input 'x' has shape \[3\], but the model expects \[4\]/);
    expect(() => exe.runSync({ y: f32([4], [1, 2, 3, 4]) })).toThrow(ShearsError);
    expect(() => exe.runSync({})).toThrow(/input 'x' is missing/);
  });

  it('lists every unsupported op before running', () => {
    const m = new Model(new Map([['', 17]]));
    const x = m.graph.addInput('x', tensorType(DType.FLOAT, [1]));
    const a = m.graph.addNode({ opType: 'Frobnicate', inputs: [x], outputs: ['a'] });
    const b = m.graph.addNode({ opType: 'Twiddle', inputs: [a.outputs[0]], outputs: ['b'] });
    m.graph.outputs = [b.outputs[0]!];
    try {
      cpuJsBackend.compile(m);
      expect.unreachable();
    } catch (e) {
      expect((e as ShearsError).code).toBe('E_UNSUPPORTED_OP');
      expect((e as Error).message).toMatch(/op Frobnicate \(opset 17\) is not supported by cpu-js/);
      expect((e as Error).message).toMatch(/op Twiddle \(opset 17\)/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { cpuEvaluator } from '../../backends/cpu-js/evaluator.js';
import { DType } from '../../src/ir/dtype.js';
import { Tensor } from '../../src/ir/tensor.js';
import { runPipeline } from '../../src/pass/manager.js';
import { float, int, ModelBuilder, opCounts, optimizeAndCompare, stat, tensorAttr } from './builder.js';

describe('cse', () => {
  it('merges equal nodes, in any input order for commutative ops', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [3]);
    const w = b.init('w', [3], [1, 2, 3]);
    const a1 = b.op('Add', [x, w]);
    const a2 = b.op('Add', [w, x]);
    const s1 = b.op('Sub', [x, w]);
    const s2 = b.op('Sub', [w, x]);
    const model = b.output(b.op('Mul', [b.op('Relu', [a1]), b.op('Relu', [a2])]), b.op('Add', [s1, s2]));
    const { model: out, report } = await optimizeAndCompare(model, 'cse,dce');
    expect(opCounts(out)).toEqual({ Add: 2, Relu: 1, Mul: 1, Sub: 2 });
    expect(stat(report, 'cse', 'nodes-merged')).toBe(2);
  });

  it('merges initializers with equal contents only', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [3]);
    const w1 = b.init('w1', [3], [1, 2, 3]);
    const w2 = b.init('w2', [3], [1, 2, 3]);
    const w3 = b.init('w3', [3], [1, 2, 4]);
    const w4 = b.init('w4', [3], [1, 2, 3], DType.DOUBLE);
    const model = b.output(b.op('Mul', [b.op('Add', [x, w1]), b.op('Add', [x, w2])]), b.op('Add', [x, w3]), b.op('Cast', [w4], [int('to', DType.FLOAT)]));
    const { model: out, report } = await optimizeAndCompare(model, 'cse,dce');
    expect(out.graph.initializers.map((v) => v.name)).toEqual(['w1', 'w3', 'w4']);
    expect(stat(report, 'cse', 'initializers-merged')).toBe(1);
    expect(opCounts(out)).toEqual({ Add: 2, Mul: 1, Cast: 1 });
  });

  it('compares Constant nodes by contents, telling -0 from 0', () => {
    const b = new ModelBuilder();
    const c = (v: number) => b.op('Constant', [], [tensorAttr('value', Tensor.fromNumbers(DType.FLOAT, [1], [v]))]);
    const f = (v: number) => b.op('Constant', [], [float('value_float', v)]);
    const model = b.output(b.op('Concat', [c(1), c(1), c(0), c(-0), f(0), f(-0)], [int('axis', 0)]));
    const report = runPipeline(model, 'cse', { reproducer: false });
    expect(stat(report, 'cse', 'nodes-merged')).toBe(1);
  });

  it('keeps two graph outputs apart, and lets the surviving node take an output name', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2]);
    const r1 = b.op('Relu', [x]);
    const r2 = b.op('Relu', [x]);
    const r3 = b.op('Relu', [x]);
    const model = b.output(b.op('Neg', [r1]), r2, r3);
    const { model: out } = await optimizeAndCompare(model, 'cse,dce');
    expect(opCounts(out)).toEqual({ Relu: 2, Neg: 1 });
    expect(out.graph.outputs.map((v) => v.name)).toEqual([model.graph.outputs[0].name, r2.name, r3.name]);
  });

  it('does not merge random ops or nodes with different attributes', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2, 3]);
    const model = b.output(
      b.op('Softmax', [x], [int('axis', 0)]),
      b.op('Softmax', [x], [int('axis', 1)]),
      b.op('RandomUniformLike', [x]),
      b.op('RandomUniformLike', [x]),
    );
    const report = runPipeline(model, 'cse', { evaluator: cpuEvaluator, reproducer: false });
    expect(report.changed).toBe(false);
  });
});

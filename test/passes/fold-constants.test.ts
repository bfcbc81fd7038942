import { describe, expect, it } from 'vitest';
import { cpuEvaluator } from '../../backends/cpu-js/evaluator.js';
import type { Evaluator } from '../../src/backend/evaluator.js';
import { DType } from '../../src/ir/dtype.js';
import { Graph } from '../../src/ir/graph.js';
import { Tensor } from '../../src/ir/tensor.js';
import { runPipeline } from '../../src/pass/manager.js';
import { float, int, ModelBuilder, opCounts, optimizeAndCompare, stat, tensorAttr } from './builder.js';

describe('fold-constants', () => {
  it('folds a chain of constant nodes into one initializer under the last name', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2]);
    const w = b.init('w', [2], [1, 2]);
    const two = b.op('Constant', [], [tensorAttr('value', Tensor.fromNumbers(DType.FLOAT, [2], [2, 2]))]);
    const scaled = b.op('Mul', [w, two]);
    const shifted = b.op('Add', [scaled, b.init('b', [2], [0.5, -0.5])]);
    const model = b.output(b.op('Add', [x, shifted]));
    const { model: out, report } = await optimizeAndCompare(model, 'fold-constants,dce');
    expect(opCounts(out)).toEqual({ Add: 1 });
    const folded = out.graph.lookup(shifted.name)!;
    expect(folded.initializer?.toNumbers()).toEqual([2.5, 3.5]);
    expect(stat(report, 'fold-constants', 'nodes-folded')).toBe(2);
    expect(stat(report, 'fold-constants', 'constants-hoisted')).toBe(1);
  });

  it('turns Constant nodes given as value_float(s)/value_int(s) into initializers', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [3]);
    const floats = b.op('Constant', [], [{ name: 'value_floats', type: 'floats', value: [1, 2, 3] }]);
    const one = b.op('Constant', [], [{ name: 'value_int', type: 'int', value: 1 }]);
    const model = b.output(b.op('Add', [x, floats]), b.op('Identity', [one]));
    const { model: out } = await optimizeAndCompare(model, 'fold-constants');
    expect(opCounts(out)).toEqual({ Add: 1 });
    expect(out.graph.outputs[1].initializer?.dtype).toBe(DType.INT64);
  });

  it('folds a node whose output is a graph output, keeping the output name', async () => {
    const b = new ModelBuilder();
    const c = b.init('c', [2], [-1, 3]);
    const y = b.op('Relu', [c]);
    const model = b.output(b.op('Neg', [b.input('x', [2])]), y);
    const { model: out } = await optimizeAndCompare(model, 'fold-constants');
    expect(out.graph.outputs[1].name).toBe(y.name);
    expect(out.graph.outputs[1].initializer?.toNumbers()).toEqual([0, 3]);
  });

  it('does not blow up the model: ConstantOfShape to a large tensor stays unless max-growth allows it', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [64, 64]);
    const ones = b.op('ConstantOfShape', [b.init('shape', [2], [64, 64], DType.INT64)], [tensorAttr('value', Tensor.fromNumbers(DType.FLOAT, [1], [1]))]);
    const model = b.output(b.op('Add', [x, ones]));
    const kept = await optimizeAndCompare(model, 'fold-constants');
    expect(opCounts(kept.model).ConstantOfShape).toBe(1);
    expect(kept.report.runs[0].notes.join()).toContain('max-growth');
    const folded = await optimizeAndCompare(model, 'fold-constants{max-growth=2000}');
    expect(opCounts(folded.model).ConstantOfShape).toBeUndefined();
  });

  it('leaves random ops, graph inputs with defaults, and nodes with non-constant inputs alone', () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2]);
    const overridable = b.init('d', [2], [1, 2]);
    b.graph.inputs.push(overridable);
    const random = b.op('RandomUniform', [], [{ name: 'shape', type: 'ints', value: [2] }, int('seed', 1)]);
    const model = b.output(b.op('Relu', [overridable]), b.op('Mul', [random, b.init('zero', [2], [0, 0])]), b.op('Relu', [x]));
    const report = runPipeline(model, 'fold-constants', { evaluator: cpuEvaluator, reproducer: false });
    expect(report.changed).toBe(false);
  });

  it('skips nodes the evaluator does not support or fails on, and says why', () => {
    const picky: Evaluator = {
      supports: (node) => (node.opType === 'Neg' ? true : `no ${node.opType}`),
      evaluate: () => {
        throw new Error('kernel crashed');
      },
    };
    const b = new ModelBuilder();
    const c = b.init('c', [2], [1, 2]);
    const model = b.output(b.op('Neg', [c]), b.op('Abs', [c]));
    const report = runPipeline(model, 'fold-constants', { evaluator: picky, reproducer: false });
    expect(report.changed).toBe(false);
    expect(report.runs[0].notes).toEqual(['left 1 node unfolded: Abs: no Abs', 'left 1 node unfolded: Neg: kernel crashed']);
  });

  it('folds inside subgraphs', async () => {
    const b = new ModelBuilder();
    const cond = b.input('cond', [], DType.BOOL);
    const c = b.init('c', [2], [1, -2]);
    const branch = (op: string): Graph => {
      const g = new Graph(b.graph);
      g.name = op;
      const n = g.addNode({ opType: op, inputs: [c], outputs: [`${op}_out`] });
      g.outputs = [n.outputs[0]!];
      return g;
    };
    const y = b.graph.addNode({
      opType: 'If',
      inputs: [cond],
      outputs: ['y'],
      attributes: [
        { name: 'then_branch', type: 'graph', value: branch('Abs') },
        { name: 'else_branch', type: 'graph', value: branch('Neg') },
      ],
    }).outputs[0]!;
    const model = b.output(b.op('Mul', [y, b.op('Constant', [], [float('value_float', 3)])]));
    const { model: out } = await optimizeAndCompare(model, 'fold-constants');
    expect(opCounts(out)).toEqual({ If: 1, Mul: 1 });
  });
});

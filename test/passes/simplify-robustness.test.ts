/** Passes skip what they do not understand: unknown ops, unknown domains, odd attributes. They never throw on them. */
import { describe, expect, it } from 'vitest';
import { cpuEvaluator } from '../../backends/cpu-js/evaluator.js';
import { DType } from '../../src/ir/dtype.js';
import { printModel } from '../../src/ir/print.js';
import { runPipeline } from '../../src/pass/manager.js';
import { defaultRegistry } from '../../src/pass/registry.js';
import { int, ints, ModelBuilder, opCounts } from './builder.js';

function oddModel() {
  const b = new ModelBuilder();
  b.model.opsets.set('com.example', 1);
  const x = b.input('x', [2, 3]);
  const c = b.init('c', [2, 3], [1, 2, 3, 4, 5, 6]);
  const unknown = b.op('NotAnOnnxOp', [x, c], [int('weird', 3)]);
  const custom = b.graph.addNode({ opType: 'Fused', domain: 'com.example', inputs: [c, c], outputs: ['fused'] }).outputs[0]!;
  const foldableIntoUnknown = b.op('NotAnOnnxOp', [b.op('Relu', [c])]);
  const badPerm = b.op('Transpose', [b.op('Transpose', [unknown], [ints('perm', [0, 0])])], [ints('perm', [1, 0])]);
  const castNoType = b.op('Cast', [b.op('Identity', [unknown])], [int('to', DType.FLOAT)]);
  const bn = b.op('BatchNormalization', [unknown, c, c, c, c]);
  return b.output(badPerm, castNoType, custom, foldableIntoUnknown, bn);
}

describe('passes on ops they do not understand', () => {
  it.each([...defaultRegistry.passes.keys(), 'simplify'])('%s leaves unknown ops in place and does not throw', (pipeline) => {
    const model = oddModel();
    runPipeline(model, pipeline, { evaluator: cpuEvaluator, reproducer: false, log: () => {} });
    const ops = opCounts(model);
    expect(ops.NotAnOnnxOp).toBe(2);
    expect(ops.Fused).toBe(1);
    expect(ops.BatchNormalization).toBe(1);
  });

  it('simplify changes only what it understands', () => {
    const model = oddModel();
    runPipeline(model, 'simplify', { evaluator: cpuEvaluator, reproducer: false, log: () => {} });
    const text = printModel(model);
    expect(text).toContain('com.example::Fused');
    expect(text).toContain('perm=[0, 0]');
    expect(opCounts(model).Relu).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { DType } from '../../src/ir/dtype.js';
import { Graph } from '../../src/ir/graph.js';
import { Tensor } from '../../src/ir/tensor.js';
import { runPipeline } from '../../src/pass/manager.js';
import { int, ModelBuilder, opCounts, optimizeAndCompare, stat } from './builder.js';

describe('dce', () => {
  it('removes nodes that reach no output and keeps inputs and outputs', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2, 3]);
    const unusedInput = b.input('unused', [1]);
    const dead = b.op('Relu', [x]);
    b.op('Sigmoid', [dead]);
    const y = b.op('Tanh', [x]);
    const model = b.output(y);
    const { report, model: out } = await optimizeAndCompare(model, 'dce');
    expect(opCounts(out)).toEqual({ Tanh: 1 });
    expect(stat(report, 'dce', 'nodes-removed')).toBe(2);
    expect(out.graph.inputs.map((v) => v.name)).toEqual(['x', unusedInput.name]);
    expect(out.graph.outputs.map((v) => v.name)).toEqual([y.name]);
  });

  it('keeps the producer of a value that only a subgraph reads', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2]);
    const cond = b.input('cond', [], DType.BOOL);
    const captured = b.op('Relu', [x]);
    const deadOuter = b.op('Sigmoid', [x]);
    const branch = (op: string): Graph => {
      const g = new Graph(b.graph);
      g.name = op;
      const inner = g.addNode({ opType: op, inputs: [captured], outputs: [`${op}_out`] });
      g.addNode({ opType: 'Neg', inputs: [captured], outputs: [`${op}_dead`] });
      g.outputs = [inner.outputs[0]!];
      return g;
    };
    const ifNode = b.graph.addNode({
      opType: 'If',
      inputs: [cond],
      outputs: ['y'],
      attributes: [
        { name: 'then_branch', type: 'graph', value: branch('Abs') },
        { name: 'else_branch', type: 'graph', value: branch('Exp') },
      ],
    });
    const model = b.output(ifNode.outputs[0]!);
    const { report, model: out } = await optimizeAndCompare(model, 'dce');
    expect(opCounts(out)).toEqual({ Relu: 1, If: 1, Abs: 1, Exp: 1 });
    expect(stat(report, 'dce', 'nodes-removed')).toBe(3);
    expect(out.graph.lookup(deadOuter.name)).toBeUndefined();
  });

  it('removes unused initializers but never an initializer that is also a graph input', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2]);
    const w = b.init('w', [2], [1, 2]);
    b.init('unused', [2], [3, 4]);
    const overridable = b.init('default', [2], [5, 6]);
    b.graph.inputs.push(overridable);
    const model = b.output(b.op('Add', [x, w]));
    const { report, model: out } = await optimizeAndCompare(model, 'dce');
    expect(out.graph.initializers.map((v) => v.name)).toEqual(['w', 'default']);
    expect(stat(report, 'dce', 'initializers-removed')).toBe(1);
  });

  it('drops optional outputs nothing reads: Dropout mask, MaxPool indices', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [1, 1, 4, 4]);
    const [d] = b.ops('Dropout', [x], [], 2);
    const [p] = b.ops('MaxPool', [d], [{ name: 'kernel_shape', type: 'ints', value: [2, 2] }], 2);
    const model = b.output(p);
    const { report, model: out } = await optimizeAndCompare(model, 'dce');
    for (const n of out.graph.nodes) expect(n.outputs.length).toBe(1);
    expect(stat(report, 'dce', 'outputs-removed')).toBe(2);
  });

  it('keeps an LSTM whose first output is unused, with that output left empty', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [3, 1, 2]);
    const w = b.init('W', [1, 8, 2], Array.from({ length: 16 }, (_, i) => (i % 5) / 10));
    const r = b.init('R', [1, 8, 2], Array.from({ length: 16 }, (_, i) => (i % 3) / 10));
    const [, yh] = b.ops('LSTM', [x, w, r], [int('hidden_size', 2)], 3);
    const model = b.output(yh);
    const { model: out } = await optimizeAndCompare(model, 'dce');
    const lstm = out.graph.nodes[0];
    expect(lstm.outputs.map((v) => v?.name ?? null)).toEqual([null, yh.name]);
  });

  it('keeps nodes of unknown domains (they may have side effects) and their inputs', () => {
    const b = new ModelBuilder();
    b.model.opsets.set('com.example', 1);
    const x = b.input('x', [2]);
    const r = b.op('Relu', [x]);
    b.graph.addNode({ opType: 'Log', domain: 'com.example', inputs: [r], outputs: ['logged'] });
    const model = b.output(b.op('Neg', [x]));
    runPipeline(model, 'dce', { reproducer: false });
    expect(opCounts(model)).toEqual({ Relu: 1, Log: 1, Neg: 1 });
    expect(model.opsets.has('com.example')).toBe(true);
  });

  it('removes opset imports no node uses, keeping the default domain', async () => {
    const b = new ModelBuilder();
    b.model.opsets.set('ai.onnx.ml', 3);
    b.model.opsets.set('com.example', 1);
    const x = b.input('x', [2]);
    const model = b.output(b.op('Relu', [x]));
    const { report, model: out } = await optimizeAndCompare(model, 'dce');
    expect([...out.opsets.keys()]).toEqual(['']);
    expect(stat(report, 'dce', 'opsets-removed')).toBe(2);
  });

  it('keeps a graph output that is an initializer', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2]);
    const c = b.init('c', [2], [1, 2]);
    c.type = { kind: 'tensor', dtype: DType.FLOAT, shape: [2] };
    const model = b.output(b.op('Relu', [x]), c);
    const { model: out } = await optimizeAndCompare(model, 'dce');
    expect(out.graph.initializers.map((v) => v.name)).toEqual(['c']);
    expect(out.graph.outputs[1].initializer).toBeInstanceOf(Tensor);
  });

  it('removes model-local functions nothing calls, keeping those a called function calls', async () => {
    const b = new ModelBuilder();
    b.model.opsets.set('local', 1);
    b.model.opsets.set('spare', 1);
    const fn = (domain: string, name: string, opType: string, opDomain = ''): void => {
      const body = new Graph(null, new Map([['', 17], ['local', 1], ['spare', 1]]));
      const a = body.addInput('a');
      body.outputs = [body.addNode({ opType, domain: opDomain, inputs: [a], outputs: ['r'] }).outputs[0]!];
      b.model.functions.push({ name, domain, attributes: [], opsets: new Map([['', 17], ['local', 1], ['spare', 1]]), body, docString: '' });
    };
    fn('local', 'Outer', 'Inner', 'local');
    fn('local', 'Inner', 'Neg');
    fn('spare', 'Unused', 'AlsoUnused', 'spare');
    fn('spare', 'AlsoUnused', 'Abs');
    const x = b.input('x', [2, 3]);
    const y = b.graph.addNode({ opType: 'Outer', domain: 'local', inputs: [x], outputs: ['y'] }).outputs[0]!;
    const { report, model: out } = await optimizeAndCompare(b.output(y), 'dce');
    expect(out.functions.map((f) => `${f.domain}.${f.name}`)).toEqual(['local.Outer', 'local.Inner']);
    expect(stat(report, 'dce', 'functions-removed')).toBe(2);
    expect([...out.opsets.keys()].sort()).toEqual(['', 'local']);
  });
});

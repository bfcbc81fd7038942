/**
 * The verifier states what a valid IR is. Each case breaks one rule through the IR API (the way a
 * buggy pass would) and checks that the verifier names the problem; valid models pass clean.
 */
import { describe, expect, it } from 'vitest';
import { ShearsError } from '../../src/error.js';
import { DType } from '../../src/ir/dtype.js';
import { Graph } from '../../src/ir/graph.js';
import { Model } from '../../src/ir/model.js';
import type { Node } from '../../src/ir/node.js';
import { topologicalOrder } from '../../src/ir/topo.js';
import { tensorType } from '../../src/ir/types.js';
import { assertValid, verifyModel } from '../../src/ir/verify.js';
import { loadModel } from '../../src/onnx/import.js';
import { floatTensorValue, tinyIrModel } from '../helpers/build-model.js';

const NODE_TESTS = '/usr/share/libonnx-testdata/data/node';

/** x → Relu → a → Neg → b (output), built with the IR API. */
function chain(): { model: Model; relu: Node; neg: Node } {
  const model = new Model();
  const g = model.graph;
  const x = g.addInput('x', tensorType(DType.FLOAT, [2]));
  const relu = g.addNode({ opType: 'Relu', name: 'relu', inputs: [x], outputs: ['a'] });
  const neg = g.addNode({ opType: 'Neg', name: 'neg', inputs: [relu.outputs[0]], outputs: ['b'] });
  g.outputs = [neg.outputs[0]!];
  return { model, relu, neg };
}

/** A model whose If node's branches read `x` and `k` from the main graph. */
function modelWithSubgraphs(): Model {
  const model = new Model();
  const g = model.graph;
  const x = g.addInput('x', tensorType(DType.FLOAT, [2]));
  const cond = g.addInput('cond', tensorType(DType.BOOL, []));
  const k = g.addInitializer('k', floatTensorValue([2], [1, 2]));
  const branch = (op: string) => {
    const b = new Graph(g);
    const n = b.addNode({ opType: op, name: `${op.toLowerCase()}_in_branch`, inputs: [x, k], outputs: [`${op.toLowerCase()}_out`] });
    b.outputs = [n.outputs[0]!];
    return b;
  };
  const thenBranch = branch('Add');
  const elseBranch = branch('Sub');
  const ifNode = g.addNode({
    opType: 'If',
    name: 'if',
    inputs: [cond],
    outputs: ['y'],
    attributes: [
      { name: 'then_branch', type: 'graph', value: thenBranch },
      { name: 'else_branch', type: 'graph', value: elseBranch },
    ],
  });
  g.outputs = [ifNode.outputs[0]!];
  return model;
}

function expectProblem(model: Model, pattern: RegExp): void {
  const problems = verifyModel(model);
  expect(problems.some((p) => pattern.test(p)), `problems: ${JSON.stringify(problems)}`).toBe(true);
  expect(() => assertValid(model)).toThrow(ShearsError);
}

describe('verifier accepts valid graphs', () => {
  it('a small model built with the IR API, and the chain used below', () => {
    expect(verifyModel(tinyIrModel())).toEqual([]);
    expect(verifyModel(chain().model)).toEqual([]);
  });

  it('a model with subgraphs that capture outer values, built with the IR API', () => {
    expect(verifyModel(modelWithSubgraphs())).toEqual([]);
  });

  it('the bundled digits model', () => {
    const model = loadModel('models/digits-cnn.onnx');
    expect(verifyModel(model)).toEqual([]);
    expect(() => assertValid(model)).not.toThrow();
  });

  it.each(['test_if', 'test_loop11', 'test_scan_sum', 'test_if_seq', 'test_range_float_type_positive_delta_expanded'])('node-suite model with subgraphs: %s', (test) => {
    const model = loadModel(`${NODE_TESTS}/${test}/model.onnx`);
    expect(model.graph.nodes.some((n) => n.subgraphs().length > 0)).toBe(true);
    expect(verifyModel(model)).toEqual([]);
  });
});

describe('verifier rejects broken graphs', () => {
  it('use before definition: a node listed before the node that produces its input', () => {
    const { model, relu, neg } = chain();
    model.graph.nodes = [neg, relu];
    expectProblem(model, /Neg node 'neg' uses 'a' before it is defined/);
  });

  it('a subgraph that captures a value defined after its node', () => {
    const model = modelWithSubgraphs();
    const g = model.graph;
    const late = g.addNode({ opType: 'Identity', name: 'late', inputs: [g.lookup('x')!], outputs: ['late_out'] });
    const ifNode = g.nodes.find((n) => n.opType === 'If')!;
    const thenBranch = ifNode.subgraphs()[0];
    thenBranch.nodes[0].setInput(1, late.outputs[0]);
    expectProblem(model, /a subgraph of If node 'if' uses 'late_out' before it is defined/);
  });

  it('a value defined twice: by two nodes', () => {
    const { model, relu, neg } = chain();
    const a = relu.outputs[0]!;
    a.producer = null; // a buggy pass re-pointing the producer without updating the old node
    neg.setOutputs([neg.outputs[0], a]);
    expectProblem(model, /'a' is defined twice/);
    expectProblem(model, /Relu node 'relu' lists output 'a' whose producer is Neg node 'neg'/);
  });

  it('a value defined twice: a graph input that a node also produces', () => {
    const { model, relu } = chain();
    const x = model.graph.lookup('x')!;
    model.graph.addNode({ opType: 'Identity', name: 'again', inputs: [relu.outputs[0]], outputs: [x], before: relu });
    expectProblem(model, /'x' is both a graph input and the output of Identity node 'again'/);
  });

  it('a cycle between two nodes', () => {
    const model = new Model();
    const g = model.graph;
    const x = g.addInput('x', tensorType(DType.FLOAT, [2]));
    const b = g.createValue('b');
    const first = g.addNode({ opType: 'Add', name: 'first', inputs: [x, b], outputs: ['a'] });
    g.addNode({ opType: 'Relu', name: 'second', inputs: [first.outputs[0]], outputs: [b] });
    g.outputs = [b];
    expectProblem(model, /Add node 'first' uses 'b' before it is defined/);
    expect(() => topologicalOrder(g)).toThrow(/cycle/);
  });

  it('a use list with an extra entry', () => {
    const { model, relu, neg } = chain();
    relu.outputs[0]!.users.push(neg);
    expectProblem(model, /'a' has 1 uses in graph but its use list says 2/);
  });

  it('a use list missing an entry', () => {
    const { model, relu } = chain();
    relu.outputs[0]!.users.length = 0;
    expectProblem(model, /'a' has 1 uses in graph but its use list says 0/);
  });

  it('a use list naming a node that was dropped from the graph without being detached', () => {
    const { model, neg } = chain();
    const g = model.graph;
    const x = g.lookup('x')!;
    g.addNode({ opType: 'Sqrt', name: 'dropped', inputs: [x], outputs: ['unused'] });
    g.nodes = g.nodes.filter((n) => n.name !== 'dropped');
    expect(neg.graph).toBe(g);
    expectProblem(model, /'x' lists Sqrt node 'dropped' as a user but that node is not in its graph/);
  });

  it('a declared type that shape inference contradicts', () => {
    const { model, neg } = chain();
    neg.outputs[0]!.type = tensorType(DType.FLOAT, [3]);
    expect(verifyModel(model).join('\n')).toMatch(/'b' is declared float32\[3\] but inference gives float32\[2\]/);
    neg.outputs[0]!.type = tensorType(DType.INT64, [2]);
    expect(verifyModel(model).join('\n')).toMatch(/element type int64 vs float32/);
    neg.outputs[0]!.type = tensorType(DType.FLOAT, ['n']);
    expect(verifyModel(model)).toEqual([]);
  });

  it('a graph output that nothing defines', () => {
    const { model } = chain();
    model.graph.outputs.push(model.graph.createValue('ghost'));
    expectProblem(model, /output 'ghost' is not defined/);
  });

  it('a graph output that belongs to another model', () => {
    const { model } = chain();
    model.graph.outputs.push(tinyIrModel().graph.outputs[0]);
    expectProblem(model, /output 'y' is not defined/);
  });

  it('an initializer tensor on a value the graph does not list as an initializer', () => {
    const { model } = chain();
    model.graph.createValue('stray').initializer = floatTensorValue([1], [3]);
    expectProblem(model, /'stray' holds a tensor but is not among the graph's initializers/);
  });

  it('an initializer listed in a graph it does not belong to', () => {
    const { model } = chain();
    model.graph.initializers.push(tinyIrModel().graph.lookup('w')!);
    expectProblem(model, /initializer 'w' does not belong to this graph/);
  });

  it('an initializer entry that holds no tensor', () => {
    const model = tinyIrModel();
    model.graph.lookup('b')!.initializer = null;
    expectProblem(model, /'b' is listed as an initializer but holds no tensor/);
  });
});

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Attribute } from '../../src/ir/attribute.js';
import { DType } from '../../src/ir/dtype.js';
import { Graph } from '../../src/ir/graph.js';
import { broadcastDim } from '../../src/ir/infer/dims.js';
import { analyzeGraph, analyzeModel, checkDeclaredTypes, inferModelTypes, inferTypes, knownToTensor, knownValues } from '../../src/ir/infer/index.js';
import { Model } from '../../src/ir/model.js';
import { ruleFor } from '../../src/ir/infer/registry.js';
import type { Node } from '../../src/ir/node.js';
import { Tensor } from '../../src/ir/tensor.js';
import { formatType, tensorType } from '../../src/ir/types.js';
import type { Dim, ValueType } from '../../src/ir/types.js';
import type { Value } from '../../src/ir/value.js';
import { loadModel } from '../../src/onnx/import.js';
import { listNodeTests } from '../helpers/node-suite.js';

const f32 = (...shape: Dim[]): ValueType => tensorType(DType.FLOAT, shape);

function ints(name: string, value: number[]): Attribute {
  return { name, type: 'ints', value };
}

function int(name: string, value: number): Attribute {
  return { name, type: 'int', value };
}

function i64(g: Graph, name: string, values: number[], dims = [values.length]): Value {
  return g.addInitializer(name, Tensor.fromNumbers(DType.INT64, dims, values));
}

function weights(g: Graph, name: string, dims: number[]): Value {
  return g.addInitializer(name, Tensor.fromNumbers(DType.FLOAT, dims, new Array(dims.reduce((a, b) => a * b, 1)).fill(0.5)));
}

function op(g: Graph, opType: string, inputs: (Value | null)[], attributes: Attribute[] = [], outputs = 1): Node {
  const values = Array.from({ length: outputs }, () => g.createValue(g.uniqueName(opType.toLowerCase())));
  return g.addNode({ opType, inputs, outputs: values, attributes });
}

/** Inferred type of a node's output, printed (`float32[batch,10]`). */
function typeOf(types: Map<Value, ValueType>, v: Value | null): string {
  return formatType(v ? types.get(v) : undefined);
}

describe('symbolic dims', () => {
  it('keep the batch dim through Conv, Transpose, Flatten, Reshape(-1) and Gemm', () => {
    const m = new Model();
    const g = m.graph;
    const x = g.addInput('x', f32('batch', 3, 8, 8));
    const conv = op(g, 'Conv', [x, weights(g, 'w', [4, 3, 3, 3])], [ints('pads', [1, 1, 1, 1])]);
    const tr = op(g, 'Transpose', [conv.outputs[0]], [ints('perm', [0, 2, 3, 1])]);
    const flat = op(g, 'Flatten', [tr.outputs[0]], [int('axis', 1)]);
    const back = op(g, 'Reshape', [flat.outputs[0], i64(g, 'to4d', [0, 8, 8, -1])]);
    const rows = op(g, 'Reshape', [back.outputs[0], i64(g, 'rows', [-1, 256])]);
    const gemm = op(g, 'Gemm', [rows.outputs[0], weights(g, 'b', [10, 256])], [int('transB', 1)]);
    const types = inferTypes(g);
    expect(typeOf(types, conv.outputs[0])).toBe('float32[batch,4,8,8]');
    expect(typeOf(types, tr.outputs[0])).toBe('float32[batch,8,8,4]');
    expect(typeOf(types, flat.outputs[0])).toBe('float32[batch,256]');
    expect(typeOf(types, back.outputs[0])).toBe('float32[batch,8,8,4]');
    expect(typeOf(types, rows.outputs[0])).toBe('float32[batch,256]');
    expect(typeOf(types, gemm.outputs[0])).toBe('float32[batch,10]');
  });

  it('become concrete when the caller overrides an input type', () => {
    const g = new Model().graph;
    const x = g.addInput('x', f32('batch', 3));
    const relu = op(g, 'Relu', [x]);
    expect(typeOf(inferTypes(g, { inputTypes: new Map([['x', f32(8, 3)]]) }), relu.outputs[0])).toBe('float32[8,3]');
  });

  it('resolve a Shape → Gather → Unsqueeze → Concat → Reshape chain to [batch, 48]', () => {
    const g = new Model().graph;
    const x = g.addInput('x', f32('batch', 3, 4, 4));
    const shape = op(g, 'Shape', [x]);
    const first = op(g, 'Gather', [shape.outputs[0], i64(g, 'zero', [0], [])], [int('axis', 0)]);
    const unsq = op(g, 'Unsqueeze', [first.outputs[0], i64(g, 'axes', [0])]);
    const target = op(g, 'Concat', [unsq.outputs[0], i64(g, 'minus1', [-1])], [int('axis', 0)]);
    const reshape = op(g, 'Reshape', [x, target.outputs[0]]);
    const analysis = analyzeGraph(g);
    expect(typeOf(analysis.types, reshape.outputs[0])).toBe('float32[batch,48]');
    expect(analysis.values.get(target.outputs[0]!)?.data).toEqual(['batch', -1]);
    expect(analysis.values.get(first.outputs[0]!)?.data).toEqual(['batch']);
  });

  it('stay symbolic through shape arithmetic only where an identity makes it exact', () => {
    const g = new Model().graph;
    const x = g.addInput('x', f32('n', 6));
    const shape = op(g, 'Shape', [x]);
    const timesOne = op(g, 'Mul', [shape.outputs[0], i64(g, 'ones', [1, 1])]);
    const timesTwo = op(g, 'Mul', [shape.outputs[0], i64(g, 'twos', [2, 2])]);
    const values = knownValues(g);
    expect(values.get(timesOne.outputs[0]!)?.data).toEqual(['n', 6]);
    expect(values.get(timesTwo.outputs[0]!)?.data).toEqual([null, 12]);
  });
});

describe('broadcasting', () => {
  it('follows the symbolic rules', () => {
    expect(broadcastDim(1, 'N')).toBe('N');
    expect(broadcastDim('N', 'N')).toBe('N');
    expect(broadcastDim('N', 'M')).toBeNull();
    expect(broadcastDim(5, 'N')).toBe(5);
    expect(broadcastDim(null, 1)).toBeNull();
    expect(broadcastDim(3, 4)).toBe('conflict');
  });

  it('types Add over ranks and symbols, and gives up on static conflicts', () => {
    const g = new Model().graph;
    const a = g.addInput('a', f32('N', 1, 5));
    const b = g.addInput('b', f32(4, 'M'));
    const c = g.addInput('c', f32(3));
    const ab = op(g, 'Add', [a, b]);
    const bad = op(g, 'Add', [a, c]);
    const types = inferTypes(g);
    expect(typeOf(types, ab.outputs[0])).toBe('float32[N,4,5]');
    expect(typeOf(types, bad.outputs[0])).toBe('float32?');
  });
});

describe('unknown and malformed input', () => {
  it('gives an unknown op unknown outputs, and everything after it too', () => {
    const g = new Model().graph;
    const x = g.addInput('x', f32(2, 3));
    const custom = g.addNode({ opType: 'FancyOp', domain: 'com.example', inputs: [x], outputs: ['y'] });
    const relu = op(g, 'Relu', [custom.outputs[0]]);
    const types = inferTypes(g);
    expect(types.has(custom.outputs[0]!)).toBe(false);
    expect(types.has(relu.outputs[0]!)).toBe(false);
    expect(typeOf(types, x)).toBe('float32[2,3]');
  });

  it('reports a rule that meets a malformed attribute instead of throwing', () => {
    const g = new Model().graph;
    const x = g.addInput('x', f32(2, 3));
    const bad = op(g, 'Transpose', [x], [{ name: 'perm', type: 'string', value: 'oops' }]);
    const errors: string[] = [];
    const types = inferTypes(g, { onRuleError: (n) => errors.push(n.opType) });
    expect(types.has(bad.outputs[0]!)).toBe(false);
    expect(errors).toEqual(['Transpose']);
  });

  it('never invents a size for contradictory or impossible shapes', () => {
    const g = new Model().graph;
    const x = g.addInput('x', f32(2, 3));
    const reshape = op(g, 'Reshape', [x, i64(g, 'two_minus1', [-1, -1])]);
    const concat = op(g, 'Concat', [x, g.addInput('y', f32(4, 4))], [int('axis', 0)]);
    const types = inferTypes(g);
    expect(typeOf(types, reshape.outputs[0])).toBe('float32?');
    expect(typeOf(types, concat.outputs[0])).toBe('float32?');
  });
});

describe('robustness', () => {
  const suite = listNodeTests();
  it.skipIf(suite.length === 0)('has a rule for every op in the node suite, subgraphs included', () => {
    const missing = new Set<string>();
    for (const dir of suite) {
      for (const g of loadModel(path.join(dir, 'model.onnx')).graph.allGraphs()) {
        for (const n of g.nodes) if (!ruleFor(n.domain, n.opType)) missing.add(n.qualifiedOp);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it.skipIf(suite.length === 0)('no rule fails on the node suite with perturbed input types or contents', () => {
    const perturbations: ((t: ValueType | undefined) => ValueType | undefined)[] = [
      () => undefined,
      () => f32(),
      () => tensorType(DType.INT64, ['a', 'b', 'c', 'd', 'e']),
      () => tensorType(DType.INT64, [0]),
      () => ({ kind: 'sequence' }),
      (t) => (t?.kind === 'tensor' && t.shape ? { ...t, shape: t.shape.map(() => null) } : t),
      (t) => (t?.kind === 'tensor' && t.shape ? { ...t, shape: t.shape.map((_, i) => `s${i}`) } : t),
    ];
    const contents = [
      Tensor.fromNumbers(DType.INT64, [3], [-5, 0, 99999999]),
      Tensor.fromNumbers(DType.INT64, [], [-1]),
      Tensor.fromNumbers(DType.INT64, [0], []),
      Tensor.fromNumbers(DType.FLOAT, [2], [Number.NaN, Infinity]),
    ];
    const errors = new Set<string>();
    const onRuleError = (n: Node, e: unknown): void => void errors.add(`${n.opType}: ${(e as Error).message}`);
    for (const dir of suite) {
      const m = loadModel(path.join(dir, 'model.onnx'));
      for (const perturb of perturbations) {
        const inputTypes = new Map<string, ValueType>();
        for (const v of m.graph.inputs) {
          const t = perturb(v.type);
          if (t) inputTypes.set(v.name, t);
        }
        analyzeModel(m, { inputTypes, onRuleError });
      }
      for (const t of contents) analyzeModel(m, { inputValues: new Map(m.graph.inputs.map((v) => [v.name, t])), onRuleError });
    }
    expect([...errors]).toEqual([]);
  });
});

describe('subgraphs and functions', () => {
  function branch(parent: Graph, build: (g: Graph) => Value): Graph {
    const g = new Graph(parent);
    g.outputs = [build(g)];
    return g;
  }

  it('merges If branches, or takes the known one', () => {
    const g = new Model().graph;
    const cond = g.addInput('cond', tensorType(DType.BOOL, []));
    const x = g.addInput('x', f32('n', 3));
    const thenBranch = branch(g, (b) => op(b, 'Relu', [x]).outputs[0]!);
    const elseBranch = branch(g, (b) => op(b, 'Concat', [x, x], [int('axis', 0)]).outputs[0]!);
    const node = op(g, 'If', [cond], [
      { name: 'then_branch', type: 'graph', value: thenBranch },
      { name: 'else_branch', type: 'graph', value: elseBranch },
    ]);
    expect(typeOf(inferTypes(g), node.outputs[0])).toBe('float32[?,3]');
    const known = inferTypes(g, { inputValues: new Map([['cond', Tensor.fromNumbers(DType.BOOL, [], [1])]]) });
    expect(typeOf(known, node.outputs[0])).toBe('float32[n,3]');
  });

  it('stacks Loop scan outputs over a known trip count and generalises carried values', () => {
    const g = new Model().graph;
    const trips = i64(g, 'trips', [4], []);
    const init = g.addInput('init', f32(1));
    const body = new Graph(g);
    body.addInput('i', tensorType(DType.INT64, []));
    const condIn = body.addInput('c', tensorType(DType.BOOL, []));
    const acc = body.addInput('acc', f32(1));
    const cond = op(body, 'Identity', [condIn]);
    const grown = op(body, 'Concat', [acc, acc], [int('axis', 0)]);
    const row = op(body, 'Relu', [g.addInput('row', f32(2, 'k'))]);
    body.outputs = [cond.outputs[0]!, grown.outputs[0]!, row.outputs[0]!];
    const loop = op(g, 'Loop', [trips, null, init], [{ name: 'body', type: 'graph', value: body }], 2);
    const types = inferTypes(g);
    expect(typeOf(types, loop.outputs[0])).toBe('float32[?]');
    expect(typeOf(types, loop.outputs[1])).toBe('float32[4,2,k]');
  });

  it('claims a loop-carried value invariant only when every iteration keeps it', () => {
    // v0 <- v1 <- ... <- v9 <- v9 + 1: v0 changes only after ten iterations
    const g = new Model().graph;
    const five = i64(g, 'five', [5], []);
    const body = new Graph(g);
    body.addInput('i', tensorType(DType.INT64, []));
    const condIn = body.addInput('c', tensorType(DType.BOOL, []));
    const carried = Array.from({ length: 10 }, (_, k) => body.addInput(`v${k}`, tensorType(DType.INT64, [])));
    const shifted = carried.map((v, k) => (k < 9 ? op(body, 'Identity', [carried[k + 1]]) : op(body, 'Add', [v, i64(g, 'one', [1], [])])));
    body.outputs = [op(body, 'Identity', [condIn]).outputs[0]!, ...shifted.map((n) => n.outputs[0]!)];
    const loop = op(g, 'Loop', [null, null, ...carried.map(() => five)], [{ name: 'body', type: 'graph', value: body }], 10);
    const analysis = analyzeGraph(g);
    expect(analysis.values.has(carried[0])).toBe(false);
    expect(analysis.values.has(shifted[0].outputs[0]!)).toBe(false);
    expect(typeOf(analysis.types, loop.outputs[0])).toBe('int64[]');
  });

  it('types a call of a model-local function through its body', () => {
    const m = new Model();
    const body = new Graph(null, new Map([['', 17]]));
    const a = body.addInput('a');
    body.outputs = [op(body, 'Transpose', [a]).outputs[0]!];
    m.functions.push({ name: 'Flip', domain: 'local', attributes: [], opsets: new Map([['', 17]]), body, docString: '' });
    const x = m.graph.addInput('x', f32(2, 'n', 5));
    const call = m.graph.addNode({ opType: 'Flip', domain: 'local', inputs: [x], outputs: ['y'] });
    expect(typeOf(inferModelTypes(m), call.outputs[0])).toBe('float32[5,n,2]');
    expect(inferTypes(m.graph).has(call.outputs[0]!)).toBe(false);
  });
});

describe('checkDeclaredTypes', () => {
  it('reports a declared type that contradicts inference, and accepts symbolic or unknown parts', () => {
    const g = new Model().graph;
    const x = g.addInput('x', f32('batch', 3));
    const wrong = op(g, 'Relu', [x]).outputs[0]!;
    wrong.type = f32('batch', 4);
    const fine = op(g, 'Relu', [x]).outputs[0]!;
    fine.type = f32(null, 3);
    const problems = checkDeclaredTypes(g, inferTypes(g));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`'${wrong.name}'`);
    expect(problems[0]).toContain('dim 1 is 4 vs 3');
  });
});

describe('real models', () => {
  it('types the bundled digits CNN output as [batch, 10]', () => {
    const m = loadModel('models/digits-cnn.onnx');
    const types = inferModelTypes(m);
    expect(typeOf(types, m.graph.outputs[0])).toBe('float32[batch,10]');
    expect(checkDeclaredTypes(m.graph, types)).toEqual([]);
  });

  const cache = path.join('test', 'fixtures', '.cache');
  const transformer = path.join(cache, 'transformer.onnx');
  const torch = fs.existsSync(transformer) || spawnSync('/usr/bin/python3', ['-c', 'import torch, torchvision, onnx'], { stdio: 'ignore' }).status === 0;
  const title = 'types the exported transformer encoder output as [batch, 16, 64], and every value static for a concrete batch';
  it.skipIf(!torch)(torch ? title : `${title} — skipped: python torch is unavailable to build the fixture`, () => {
    if (!fs.existsSync(transformer)) {
      const r = spawnSync('/usr/bin/python3', ['test/fixtures/build-torchvision.py', cache, 'transformer'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    const m = loadModel(transformer);
    const types = inferModelTypes(m);
    expect(typeOf(types, m.graph.outputs[0])).toBe('float32[batch,16,64]');
    expect(checkDeclaredTypes(m.graph, types)).toEqual([]);
    const concrete = inferModelTypes(m, { inputTypes: new Map([['input', f32(3, 16, 64)]]) });
    const notStatic = m.graph.nodes.flatMap((n) => n.outputs).filter((v) => {
      const t = v && concrete.get(v);
      return !(t?.kind === 'tensor' && t.shape?.every((d) => typeof d === 'number'));
    });
    expect(notStatic.map((v) => v?.name)).toEqual([]);
  }, 300_000);
});

describe('known values', () => {
  it('turn back into tensors only when exact', () => {
    expect(knownToTensor({ dtype: DType.INT64, dims: [2], data: [3, -1] })?.toNumbers()).toEqual([3, -1]);
    expect(knownToTensor({ dtype: DType.INT64, dims: [1], data: [Number(2n ** 63n - 1n)] })).toBeUndefined();
    expect(knownToTensor({ dtype: DType.INT64, dims: [1], data: ['batch'] })).toBeUndefined();
    expect(knownToTensor({ dtype: DType.FLOAT16, dims: [1], data: [0.5] })?.toNumbers()).toEqual([0.5]);
  });
});

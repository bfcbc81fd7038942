import { describe, expect, it } from 'vitest';
import { DType } from '../../src/ir/dtype.js';
import { runPipeline } from '../../src/pass/manager.js';
import { int, ints, ModelBuilder, opCounts, optimizeAndCompare, stat } from './builder.js';

describe('eliminate-identity', () => {
  it('bypasses Identity chains and keeps the graph output name', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2, 3]);
    const r = b.op('Relu', [x]);
    const y = b.op('Identity', [b.op('Identity', [r])]);
    const model = b.output(y);
    const { model: out, report } = await optimizeAndCompare(model, 'eliminate-identity,dce');
    expect(opCounts(out)).toEqual({ Relu: 1 });
    expect(out.graph.outputs[0].name).toBe(y.name);
    expect(out.graph.nodes[0].outputs[0]).toBe(out.graph.outputs[0]);
    expect(stat(report, 'eliminate-identity', 'nodes-removed')).toBe(2);
  });

  it('keeps an Identity between a graph input and a graph output (the names differ)', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2]);
    const model = b.output(b.op('Identity', [x]));
    const { model: out, report } = await optimizeAndCompare(model, 'eliminate-identity');
    expect(opCounts(out)).toEqual({ Identity: 1 });
    expect(report.changed).toBe(false);
  });

  it('keeps one Identity when two outputs would become the same value', async () => {
    const b = new ModelBuilder();
    const r = b.op('Relu', [b.input('x', [2])]);
    const model = b.output(r, b.op('Identity', [r]));
    const { model: out } = await optimizeAndCompare(model, 'eliminate-identity');
    expect(opCounts(out)).toEqual({ Relu: 1, Identity: 1 });
  });

  it('removes inference Dropout but not one whose mask is used or that trains', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [4]);
    const plain = b.op('Dropout', [x]);
    const [, mask] = b.ops('Dropout', [plain], [], 2);
    const training = b.init('training', [], [1], DType.BOOL);
    const ratio = b.init('ratio', [], [0]);
    const trained = b.op('Dropout', [x, ratio, training]);
    const model = b.output(b.op('Relu', [plain]), mask, trained);
    const { model: out } = await optimizeAndCompare(model, 'eliminate-identity,dce');
    expect(opCounts(out)).toEqual({ Dropout: 2, Relu: 1 });
  });

  it('removes Cast to the same type, identity Transpose, zero Pad, full Slice and same-shape Reshape', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2, 3]);
    let v = b.op('Cast', [x], [int('to', DType.FLOAT)]);
    v = b.op('Transpose', [v], [ints('perm', [0, 1])]);
    v = b.op('Pad', [v, b.init('pads', [4], [0, 0, 0, 0], DType.INT64)]);
    v = b.op('Slice', [v, b.init('starts', [1], [0], DType.INT64), b.init('ends', [1], [1e9], DType.INT64), b.init('axes', [1], [1], DType.INT64)]);
    v = b.op('Reshape', [v, b.init('shape', [2], [2, 3], DType.INT64)]);
    const model = b.output(b.op('Relu', [v]));
    const { model: out } = await optimizeAndCompare(model, 'eliminate-identity,dce');
    expect(opCounts(out)).toEqual({ Relu: 1 });
  });

  it('keeps ops that change something: Cast to another type, a real Slice, a reversing Slice, a Pad', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2, 3]);
    const cast = b.op('Cast', [x], [int('to', DType.DOUBLE)]);
    const cut = b.op('Slice', [x, b.init('s', [1], [1], DType.INT64), b.init('e', [1], [3], DType.INT64), b.init('a', [1], [1], DType.INT64)]);
    const rev = b.op('Slice', [x, b.init('rs', [1], [-1], DType.INT64), b.init('re', [1], [-1e9], DType.INT64), b.init('ra', [1], [0], DType.INT64), b.init('rp', [1], [-1], DType.INT64)]);
    const pad = b.op('Pad', [x, b.init('pads', [4], [0, 1, 0, -1], DType.INT64)]);
    const model = b.output(cast, cut, rev, pad);
    const { model: out, report } = await optimizeAndCompare(model, 'eliminate-identity');
    expect(opCounts(out)).toEqual({ Cast: 1, Slice: 2, Pad: 1 });
    expect(report.changed).toBe(false);
  });

  it('merges two Transposes into one, and removes a pair that cancels', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2, 3, 4]);
    const t1 = b.op('Transpose', [x], [ints('perm', [1, 2, 0])]);
    const merged = b.op('Transpose', [t1], [ints('perm', [0, 2, 1])]);
    const t3 = b.op('Transpose', [x], [ints('perm', [2, 0, 1])]);
    const cancelled = b.op('Transpose', [t3], [ints('perm', [1, 2, 0])]);
    const model = b.output(b.op('Relu', [merged]), b.op('Neg', [cancelled]));
    const { model: out, report } = await optimizeAndCompare(model, 'eliminate-identity,dce');
    expect(opCounts(out)).toEqual({ Transpose: 1, Relu: 1, Neg: 1 });
    expect(out.graph.nodes.find((n) => n.opType === 'Transpose')!.getInts('perm')).toEqual([1, 0, 2]);
    expect(stat(report, 'eliminate-identity', 'transposes-merged')).toBe(1);
  });

  it('leaves ops of other domains alone', () => {
    const b = new ModelBuilder();
    b.model.opsets.set('com.example', 1);
    const x = b.input('x', [2]);
    b.graph.addNode({ opType: 'Identity', domain: 'com.example', inputs: [x], outputs: ['y'] });
    const model = b.output(b.graph.lookup('y')!);
    const report = runPipeline(model, 'eliminate-identity', { reproducer: false });
    expect(report.changed).toBe(false);
  });
});

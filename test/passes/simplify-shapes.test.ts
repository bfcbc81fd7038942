import { describe, expect, it } from 'vitest';
import { DType } from '../../src/ir/dtype.js';
import { int, ints, ModelBuilder, opCounts, optimizeAndCompare, stat } from './builder.js';

const i64 = DType.INT64;

describe('simplify-shapes', () => {
  it('replaces Shape and Size of statically shaped tensors, honouring Shape start/end', async () => {
    const b = new ModelBuilder(17);
    const x = b.input('x', [2, 3, 4]);
    const shape = b.op('Shape', [x]);
    const tail = b.op('Shape', [x], [int('start', -2)]);
    const size = b.op('Size', [x]);
    const model = b.output(b.op('Reshape', [x, b.op('Concat', [b.init('two', [1], [2], i64), tail], [int('axis', 0)])]), shape, size);
    const { model: out, report } = await optimizeAndCompare(model, 'simplify-shapes,dce');
    expect(opCounts(out)).toEqual({ Reshape: 1 });
    expect(out.graph.outputs[1].initializer?.toNumbers()).toEqual([2, 3, 4]);
    expect(out.graph.outputs[2].initializer?.toNumbers()).toEqual([24]);
    expect(stat(report, 'simplify-shapes', 'values-replaced')).toBeGreaterThanOrEqual(3);
  });

  it('turns a PyTorch-style Shape→Gather→Unsqueeze→Concat→Reshape chain into a constant target, keeping the symbolic batch', async () => {
    const b = new ModelBuilder(13);
    const x = b.input('x', ['batch', 16, 64]);
    const shape = b.op('Shape', [x]);
    const dim = (i: number) => b.op('Unsqueeze', [b.op('Gather', [shape, b.init(`i${i}`, [], [i], i64)], [int('axis', 0)]), b.init(`axes${i}`, [1], [0], i64)]);
    const heads = b.init('heads', [1], [4], i64);
    const headDim = b.op('Div', [b.op('Gather', [shape, b.init('i2b', [], [2], i64)], [int('axis', 0)]), b.init('four', [], [4], i64)]);
    const target = b.op('Concat', [dim(0), dim(1), heads, b.op('Unsqueeze', [headDim, b.init('axes_hd', [1], [0], i64)])], [int('axis', 0)]);
    const y = b.op('Transpose', [b.op('Reshape', [x, target])], [ints('perm', [0, 2, 1, 3])]);
    const model = b.output(y);
    for (const batch of [1, 3]) {
      const { model: out, report } = await optimizeAndCompare(model, 'simplify-shapes,dce', { dims: { batch } });
      expect(opCounts(out)).toEqual({ Reshape: 1, Transpose: 1 });
      expect(out.graph.nodes[0].inputs[1]?.initializer?.toNumbers()).toEqual([-1, 16, 4, 16]);
      expect(out.graph.inputs[0].type).toEqual({ kind: 'tensor', dtype: DType.FLOAT, shape: ['batch', 16, 64] });
      expect(stat(report, 'simplify-shapes', 'reshapes-simplified')).toBe(1);
    }
  });

  it('never replaces a symbolic dim by a number', async () => {
    const b = new ModelBuilder(13);
    const x = b.input('x', ['batch', 3]);
    const n = b.op('Gather', [b.op('Shape', [x]), b.init('zero', [], [0], i64)], [int('axis', 0)]);
    const model = b.output(b.op('Cast', [n], [int('to', DType.FLOAT)]));
    const { model: out } = await optimizeAndCompare(model, 'simplify-shapes,dce', { dims: { batch: 5 } });
    expect(opCounts(out)).toEqual({ Shape: 1, Gather: 1, Cast: 1 });
  });
});

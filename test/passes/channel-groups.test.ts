/**
 * Channel dependency analysis on small graphs, one coupling rule or known failure case of the
 * PyTorch tools each. Every case also checks the invariant (pruned = soft-pruned in ORT) with two
 * random selections.
 */
import { describe, expect, test } from 'vitest';
import { analyzeChannels } from '../../passes/channel-groups.js';
import { DType } from '../../src/ir/dtype.js';
import { inferTypes } from '../../src/ir/infer/index.js';
import type { Model } from '../../src/ir/model.js';
import { int, ints } from './builder.js';
import { checkInvariant, groupOfValue, Layers, randomChoice } from './channel-helpers.js';

const IMG = [1, 3, 8, 8];

interface Case {
  name: string;
  build: () => Model;
  check?: (m: Model) => void;
}

const statusOf = (m: Model, value: string): string[] => groupOfValue(analyzeChannels(m), value).map((g) => g.status);

const cases: Case[] = [
  {
    name: 'residual sum of three branches (Sum) couples all three convs',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const [a, b, c] = [l.bn(l.conv(x, 3, 6), 6), l.conv(x, 3, 6), l.bn(l.conv(x, 3, 6, { k: 1 }), 6)];
      const s = l.b.op('Sum', [a, b, c]);
      return l.b.output(l.conv(l.relu(s), 6, 4));
    },
    check: (m) => {
      const a = analyzeChannels(m);
      const convOuts = m.graph.nodes.filter((n) => n.opType === 'Conv').slice(0, 3).map((n) => n.outputs[0]!.name);
      const groups = new Set(convOuts.flatMap((v) => groupOfValue(a, v)));
      expect(groups.size).toBe(1);
      expect([...groups][0].units.length).toBe(6);
    },
  },
  {
    name: 'residual chain of Adds with four branches',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      let s = l.conv(x, 3, 5);
      for (let i = 0; i < 3; i++) s = l.b.op('Add', [s, l.bn(l.conv(x, 3, 5), 5)]);
      return l.b.output(l.conv(l.relu(s), 5, 2));
    },
    check: (m) => {
      const a = analyzeChannels(m);
      const prunable = a.groups.filter((g) => g.status === 'prunable');
      expect(prunable.map((g) => g.sources.length)).toEqual([4]);
    },
  },
  {
    name: 'Concat keeps each input its own group, at its offset',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const a = l.convBnRelu(x, 3, 4);
      const b = l.convBnRelu(x, 3, 6);
      const c = l.b.op('Concat', [a, b], [int('axis', 1)]);
      return l.b.output(l.conv(c, 10, 3));
    },
    check: (m) => {
      const an = analyzeChannels(m);
      const concat = m.graph.nodes.find((n) => n.opType === 'Concat')!.outputs[0]!.name;
      const member = an.members.find((x) => x.value.name === concat)!;
      const groupIds = member.units.map((u) => an.groupOf.get(u)!.id);
      expect(new Set(groupIds.slice(0, 4)).size).toBe(1);
      expect(new Set(groupIds.slice(4)).size).toBe(1);
      expect(groupIds[0]).not.toBe(groupIds[4]);
    },
  },
  {
    name: 'Concat of one tensor with itself removes both copies',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const a = l.convBnRelu(x, 3, 4);
      return l.b.output(l.conv(l.b.op('Concat', [a, a], [int('axis', 1)]), 8, 3));
    },
  },
  {
    name: 'Flatten maps channel c to the block of features c*16 .. c*16+15',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', [1, 3, 4, 4]);
      const f = l.b.op('Flatten', [l.convBnRelu(x, 3, 5)], [int('axis', 1)]);
      return l.b.output(l.gemm(f, 80, 3));
    },
    check: (m) => {
      const an = analyzeChannels(m);
      const flat = an.members.find((x) => x.value.producer?.opType === 'Flatten')!;
      const conv = an.members.find((x) => x.value.producer?.opType === 'Conv')!;
      expect(flat.units).toEqual(Array.from({ length: 80 }, (_, j) => conv.units[Math.floor(j / 16)]));
    },
  },
  {
    name: 'Reshape to [1,-1] after a channels-last Transpose interleaves channels',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', [1, 3, 4, 4]);
      const t = l.b.op('Transpose', [l.convBnRelu(x, 3, 5)], [ints('perm', [0, 2, 3, 1])]);
      const r = l.b.op('Reshape', [t, l.b.init('shape', [2], [1, -1], DType.INT64)]);
      return l.b.output(l.gemm(r, 80, 3));
    },
    check: (m) => {
      const an = analyzeChannels(m);
      const flat = an.members.find((x) => x.value.producer?.opType === 'Reshape')!;
      const conv = an.members.find((x) => x.value.producer?.opType === 'Conv')!;
      expect(flat.units).toEqual(Array.from({ length: 80 }, (_, j) => conv.units[j % 5]));
    },
  },
  {
    name: 'Reshape with a literal feature count gets a new target shape',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', [1, 3, 4, 4]);
      const p = l.b.op('GlobalAveragePool', [l.convBnRelu(x, 3, 6)]);
      const r = l.b.op('Reshape', [p, l.b.init('shape', [2], [1, 6], DType.INT64)]);
      return l.b.output(l.gemm(r, 6, 2));
    },
  },
  {
    name: 'Mul by a per-tensor scalar does not couple channels',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const a = l.convBnRelu(x, 3, 6);
      const scalar = l.b.op('ReduceMean', [l.convBnRelu(x, 3, 4)], [int('keepdims', 1)]);
      const k = l.b.init('k', [], [0.7]);
      const y = l.b.op('Mul', [l.b.op('Mul', [a, scalar]), k]);
      return l.b.output(l.conv(y, 6, 2));
    },
    check: (m) => {
      const an = analyzeChannels(m);
      const [first, second] = m.graph.nodes.filter((n) => n.opType === 'Relu').map((n) => n.outputs[0]!.name);
      expect(groupOfValue(an, first).map((g) => g.status)).toEqual(['prunable']);
      expect(groupOfValue(an, second).map((g) => g.status)).toEqual(['blocked']);
      expect(groupOfValue(an, first)[0]).not.toBe(groupOfValue(an, second)[0]);
    },
  },
  {
    name: 'a conv with one input channel and group=1 is not depthwise',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', [1, 1, 8, 8]);
      const a = l.convBnRelu(x, 1, 8);
      const one = l.conv(a, 8, 1);
      return l.b.output(l.conv(l.relu(one), 1, 4));
    },
    check: (m) => {
      const an = analyzeChannels(m);
      const first = m.graph.nodes.find((n) => n.opType === 'Conv')!.outputs[0]!.name;
      const [g] = groupOfValue(an, first);
      expect(g.status).toBe('prunable');
      expect(g.units.length).toBe(8);
      expect(groupOfValue(an, 'x').map((x) => x.status)).toEqual(['fixed']);
    },
  },
  {
    name: 'depthwise conv couples its input and output channels and shrinks group',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const a = l.convBnRelu(x, 3, 8);
      const d = l.convBnRelu(a, 8, 8, { group: 8 });
      return l.b.output(l.conv(d, 8, 4, { k: 1 }));
    },
    check: (m) => {
      const an = analyzeChannels(m);
      expect(an.groups.filter((g) => g.status === 'prunable').map((g) => g.sources.length)).toEqual([2]);
    },
  },
  {
    name: 'depthwise conv with channel multiplier 2',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const d = l.convBnRelu(l.convBnRelu(x, 3, 4), 4, 8, { group: 4 });
      return l.b.output(l.conv(d, 8, 3, { k: 1 }));
    },
  },
  {
    name: 'group conv ties channel i of every group',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const g = l.convBnRelu(l.convBnRelu(x, 3, 8), 8, 12, { group: 4 });
      return l.b.output(l.conv(g, 12, 3, { k: 1 }));
    },
    check: (m) => {
      const an = analyzeChannels(m);
      const units = an.groups.filter((g) => g.status === 'prunable').map((g) => [g.units.length, g.channels]);
      expect(units).toEqual([
        [2, 8],
        [3, 12],
      ]);
    },
  },
  {
    name: 'squeeze-excite (ReduceMean → Conv → Conv → HardSigmoid → Mul) with SiLU: the scale follows the block channels, the squeeze is its own group',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const a = l.convBnRelu(x, 3, 8);
      const squeezed = l.b.op('ReduceMean', [a], [ints('axes', [2, 3]), int('keepdims', 1)]);
      const s = l.b.op('HardSigmoid', [l.conv(l.relu(l.conv(squeezed, 8, 2, { k: 1 })), 2, 8, { k: 1 })]);
      const silu = l.b.op('Mul', [a, l.b.op('Sigmoid', [a])]);
      return l.b.output(l.conv(l.b.op('Mul', [silu, s]), 8, 3));
    },
    check: (m) => {
      const an = analyzeChannels(m);
      expect(an.groups.filter((g) => g.status === 'prunable').map((g) => g.units.length)).toEqual([8, 2]);
    },
  },
  {
    name: 'channel shuffle is a permutation and becomes a Gather',
    build: () => shuffleModel(),
    check: (m) => {
      const an = analyzeChannels(m);
      expect(an.groups.filter((g) => g.status === 'prunable').map((g) => g.units.length)).toEqual([4, 4, 4, 4]);
    },
  },
  {
    name: 'Slice and Split along the channel axis',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const a = l.convBnRelu(x, 3, 8);
      const sliced = l.b.op('Slice', [a, l.b.init('s', [1], [2], DType.INT64), l.b.init('e', [1], [7], DType.INT64), l.b.init('ax', [1], [1], DType.INT64)]);
      const [p, q] = l.b.ops('Split', [a, l.b.init('split', [2], [3, 5], DType.INT64)], [int('axis', 1)], 2);
      return l.b.output(l.conv(sliced, 5, 2), l.conv(p, 3, 2), l.conv(q, 5, 2));
    },
  },
  {
    name: 'PRelu slope, bias Add and broadcast Mul constants are sliced',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const a = l.b.op('PRelu', [l.conv(x, 3, 6, { bias: false }), l.weight([6, 1, 1], 0.3)]);
      const b = l.b.op('Add', [a, l.weight([1, 6, 1, 1], 0.2)]);
      const c = l.b.op('Mul', [l.weight([6, 1, 1], 1, 1), b]);
      return l.b.output(l.conv(c, 6, 2));
    },
  },
  {
    name: 'pooling, Pad and Resize pass channels through',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const a = l.b.op('MaxPool', [l.convBnRelu(x, 3, 6)], [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])]);
      const p = l.b.op('Pad', [a, l.b.init('pads', [8], [0, 0, 1, 1, 0, 0, 1, 1], DType.INT64)]);
      const r = l.b.op('Resize', [p, null, l.b.init('scales', [4], [1, 1, 2, 2])], [{ name: 'mode', type: 'string', value: 'nearest' }]);
      return l.b.output(l.conv(l.b.op('AveragePool', [r], [ints('kernel_shape', [2, 2])]), 6, 2));
    },
  },
  {
    name: 'channels moved last by a Transpose feed a MatMul',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const t = l.b.op('Transpose', [l.convBnRelu(x, 3, 6)], [ints('perm', [0, 2, 3, 1])]);
      const h = l.relu(l.b.op('Add', [l.b.op('MatMul', [t, l.weight([6, 10])]), l.weight([10], 0.1)]));
      return l.b.output(l.b.op('MatMul', [h, l.weight([10, 3])]));
    },
  },
  {
    name: 'ConvTranspose: input channels on weight axis 0, output channels on axis 1',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const a = l.convBnRelu(x, 3, 6);
      const up = l.b.op('ConvTranspose', [a, l.weight([6, 5, 2, 2]), l.weight([5], 0.1)], [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])]);
      return l.b.output(l.conv(l.relu(l.b.op('InstanceNormalization', [up, l.weight([5], 0.3, 1), l.weight([5], 0.1)])), 5, 2));
    },
    check: (m) => expect(analyzeChannels(m).groups.filter((g) => g.status === 'prunable').map((g) => g.units.length)).toEqual([6, 5]),
  },
  {
    name: 'Gemm with transA (channels on rows of A) and without transB',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', [4, 12]);
      const h = l.relu(l.gemm(x, 12, 10));
      const t = l.b.op('Transpose', [h], [ints('perm', [1, 0])]);
      const y = l.b.op('Gemm', [t, l.weight([10, 7]), l.weight([1, 7], 0.1)], [int('transA', 1)]);
      return l.b.output(l.b.op('Gemm', [l.relu(y), l.weight([7, 3])]));
    },
    check: (m) => expect(analyzeChannels(m).groups.filter((g) => g.status === 'prunable').map((g) => g.units.length)).toEqual([10, 7]),
  },
  {
    name: 'weights in Constant nodes, and declared shapes of intermediate values, are rewritten',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const a = l.convBnRelu(x, 3, 6);
      const w = l.weight([4, 6, 3, 3]);
      const wc = l.b.op('Constant', [], [{ name: 'value', type: 'tensor', value: w.initializer! }]);
      l.b.graph.removeInitializer(w);
      const m = l.b.output(l.conv(l.relu(l.b.op('Conv', [a, wc], [ints('pads', [1, 1, 1, 1])])), 4, 2));
      const types = inferTypes(m.graph);
      for (const n of m.graph.nodes) for (const v of n.outputs) if (v && !v.isGraphOutput) v.type = types.get(v);
      return m;
    },
  },
  {
    name: 'torch chunk (Slice with ends computed from Shape) and view(size(0), -1)',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', [1, 3, 4, 4]);
      const a = l.convBnRelu(x, 3, 8);
      const c = l.b.op('Gather', [l.b.op('Shape', [a]), l.b.init('one', [1], [1], DType.INT64)], [int('axis', 0)]);
      const half = l.b.op('Div', [l.b.op('Add', [c, l.b.init('inc', [1], [1], DType.INT64)]), l.b.init('two', [1], [2], DType.INT64)]);
      const axes = l.b.init('axes', [1], [1], DType.INT64);
      const first = l.b.op('Slice', [a, l.b.init('zero', [1], [0], DType.INT64), half, axes]);
      const second = l.b.op('Slice', [a, half, l.b.op('Mul', [half, l.b.init('two2', [1], [2], DType.INT64)]), axes]);
      const sum = l.b.op('Add', [l.relu(l.conv(first, 4, 4)), second]);
      const batch = l.b.op('Unsqueeze', [l.b.op('Gather', [l.b.op('Shape', [sum]), l.b.init('zi', [], [0], DType.INT64)], [int('axis', 0)]), l.b.init('ua', [1], [0], DType.INT64)]);
      const flat = l.b.op('Reshape', [sum, l.b.op('Concat', [batch, l.b.init('m1', [1], [-1], DType.INT64)], [int('axis', 0)])]);
      return l.b.output(l.gemm(flat, 64, 3));
    },
    check: (m) => {
      const an = analyzeChannels(m);
      expect(an.groups.filter((g) => g.status === 'blocked')).toEqual([]);
    },
  },
  {
    name: 'Resize with explicit sizes gets new sizes',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const sizes = l.b.init('sizes', [4], [1, 6, 16, 16], DType.INT64);
      const r = l.b.op('Resize', [l.convBnRelu(x, 3, 6), null, null, sizes], [{ name: 'mode', type: 'string', value: 'linear' }]);
      return l.b.output(l.conv(r, 6, 2));
    },
  },
  {
    name: 'an MLP with a dynamic batch',
    build: () => {
      const l = new Layers();
      const x = l.b.input('x', ['batch', 12]);
      const h = l.relu(l.gemm(l.relu(l.gemm(x, 12, 16)), 16, 9));
      return l.b.output(l.gemm(h, 9, 3));
    },
  },
];

describe('channel groups: coupling rules and known failure cases', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const model = c.build();
      c.check?.(model);
      const a = analyzeChannels(model);
      expect(a.groups.some((g) => g.status === 'prunable')).toBe(true);
      for (const seed of [1, 2]) await checkInvariant(model, randomChoice(seed), { batch: 2 });
    });
  }
});

describe('channel groups: what blocks', () => {
  test('an unknown op blocks the channels it touches, and says so', () => {
    const l = new Layers();
    const x = l.b.input('x', IMG);
    const a = l.convBnRelu(x, 3, 6);
    const m = l.b.output(l.conv(l.b.op('LpNormalization', [a], [int('axis', 1)]), 6, 2));
    const an = analyzeChannels(m);
    const [g] = groupOfValue(an, a.name);
    expect(g.status).toBe('blocked');
    expect(g.reasons.join()).toMatch(/LpNormalization node 'LpNormalization_\d+': LpNormalization is not understood/);
  });

  test('LayerNormalization over the channel axis blocks; over other axes it passes', () => {
    const l = new Layers(1, 17);
    const x = l.b.input('x', [1, 5, 8]);
    const h = l.b.op('MatMul', [x, l.weight([8, 6])]);
    const ln = l.b.op('LayerNormalization', [h, l.weight([6], 0.1, 1), l.weight([6], 0.1)], [int('axis', -1)]);
    const m = l.b.output(l.b.op('MatMul', [ln, l.weight([6, 2])]));
    expect(statusOf(m, h.name)).toEqual(['blocked']);
  });

  test('a removed channel that a Sigmoid makes non-zero may not reach a conv', () => {
    const l = new Layers();
    const x = l.b.input('x', IMG);
    const a = l.convBnRelu(x, 3, 6);
    const m = l.b.output(l.conv(l.b.op('Sigmoid', [a]), 6, 2));
    const an = analyzeChannels(m);
    const [g] = groupOfValue(an, a.name);
    expect(g.status).toBe('blocked');
    expect(g.reasons.join()).toMatch(/would not be zero/);
  });

  test('a Clip to [1, 6] is not zero at zero and blocks; Relu6 (Clip [0, 6]) does not', () => {
    for (const [lo, status] of [
      [1, 'blocked'],
      [0, 'prunable'],
    ] as const) {
      const l = new Layers();
      const x = l.b.input('x', IMG);
      const a = l.conv(x, 3, 6);
      const m = l.b.output(l.conv(l.b.op('Clip', [a, l.b.init('lo', [], [lo]), l.b.init('hi', [], [6])]), 6, 2));
      expect(statusOf(m, a.name)).toEqual([status]);
    }
  });

  test('channels that reach a graph output are fixed', () => {
    const l = new Layers();
    const x = l.b.input('x', IMG);
    const a = l.convBnRelu(x, 3, 6);
    const m = l.b.output(l.conv(a, 6, 2), a);
    expect(statusOf(m, a.name)).toEqual(['fixed']);
  });

  test('pruning a pruned shuffle again goes through the Gather it became', async () => {
    const once = shuffleModel();
    await checkInvariant(once, randomChoice(3));
    const { prunedModel } = await checkInvariant(once, randomChoice(5));
    expect(prunedModel.graph.nodes.some((n) => n.opType === 'Gather')).toBe(true);
    const again = await checkInvariant(prunedModel, randomChoice(6));
    expect(again.pruned.channels.removed).toBeGreaterThan(0);
  });

  test('a product of two computed tensors (attention) blocks', () => {
    const l = new Layers();
    const x = l.b.input('x', [1, 4, 8]);
    const q = l.b.op('MatMul', [x, l.weight([8, 6])]);
    const k = l.b.op('MatMul', [x, l.weight([8, 6])]);
    const m = l.b.output(l.b.op('MatMul', [q, l.b.op('Transpose', [k], [ints('perm', [0, 2, 1])])]));
    expect(statusOf(m, q.name)).toEqual(['blocked']);
  });
});

/** Two convs concatenated (16 channels), ShuffleNet's shuffle with 2 groups, split in halves, two convs. */
function shuffleModel(): Model {
  const l = new Layers();
  const x = l.b.input('x', IMG);
  const c = l.b.op('Concat', [l.convBnRelu(x, 3, 8), l.convBnRelu(x, 3, 8)], [int('axis', 1)]);
  const r = l.b.op('Reshape', [c, l.b.init('split_shape', [5], [1, 2, 8, 8, 8], DType.INT64)]);
  const t = l.b.op('Transpose', [r], [ints('perm', [0, 2, 1, 3, 4])]);
  const s = l.b.op('Reshape', [t, l.b.init('merge_shape', [4], [1, -1, 8, 8], DType.INT64)]);
  const [p, q] = l.b.ops('Split', [s, l.b.init('halves', [2], [8, 8], DType.INT64)], [int('axis', 1)], 2);
  return l.b.output(l.conv(l.relu(p), 8, 2, { k: 1 }), l.conv(l.b.op('Mul', [q, l.b.init('half', [], [0.5])]), 8, 2));
}

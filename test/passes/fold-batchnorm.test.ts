import { describe, expect, it } from 'vitest';
import type { Value } from '../../src/ir/value.js';
import { float, int, ints, ModelBuilder, opCounts, optimizeAndCompare, stat } from './builder.js';

/** Deterministic, varied values (not all equal, some negative). */
function values(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(seed * 7.3 + i * 1.7) * 0.8);
}

function batchNorm(b: ModelBuilder, x: Value, channels: number, seed: number, attrs = [float('epsilon', 1e-3)]): Value {
  const variance = values(channels, seed + 3).map((v) => v * v + 0.1);
  return b.op('BatchNormalization', [x, b.init(`g${seed}`, [channels], values(channels, seed)), b.init(`beta${seed}`, [channels], values(channels, seed + 1)), b.init(`m${seed}`, [channels], values(channels, seed + 2)), b.init(`v${seed}`, [channels], variance)], attrs);
}

describe('fold-batchnorm', () => {
  it('folds BatchNormalization into Conv with and without bias, keeping the output name', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [1, 3, 6, 6]);
    const c1 = b.op('Conv', [x, b.init('w1', [4, 3, 3, 3], values(108, 1))], [ints('pads', [1, 1, 1, 1])]);
    const n1 = batchNorm(b, c1, 4, 10);
    const c2 = b.op('Conv', [b.op('Relu', [n1]), b.init('w2', [4, 4, 1, 1], values(16, 2)), b.init('b2', [4], values(4, 3))]);
    const y = batchNorm(b, c2, 4, 20);
    const model = b.output(y);
    const { model: out, report } = await optimizeAndCompare(model, 'fold-batchnorm,dce');
    expect(opCounts(out)).toEqual({ Conv: 2, Relu: 1 });
    expect(out.graph.outputs[0].name).toBe(y.name);
    expect(out.graph.outputs[0].producer?.opType).toBe('Conv');
    expect(stat(report, 'fold-batchnorm', 'batchnorms-folded')).toBe(2);
  });

  it('folds into a grouped ConvTranspose', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [1, 4, 3, 3]);
    const c = b.op('ConvTranspose', [x, b.init('w', [4, 3, 2, 2], values(48, 4)), b.init('bias', [6], values(6, 5))], [int('group', 2), ints('strides', [2, 2])]);
    const model = b.output(batchNorm(b, c, 6, 30));
    const { model: out } = await optimizeAndCompare(model, 'fold-batchnorm,dce');
    expect(opCounts(out)).toEqual({ ConvTranspose: 1 });
  });

  it('folds into Gemm (transB both ways, with and without C, beta kept in the bias)', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2, 5]);
    const g1 = b.op('Gemm', [x, b.init('w1', [5, 3], values(15, 6)), b.init('c1', [3], values(3, 7))], [float('beta', 0.5), float('alpha', 2)]);
    const g2 = b.op('Gemm', [x, b.init('w2', [3, 5], values(15, 8))], [int('transB', 1)]);
    const model = b.output(batchNorm(b, g1, 3, 40), batchNorm(b, g2, 3, 50));
    const { model: out } = await optimizeAndCompare(model, 'fold-batchnorm,dce');
    expect(opCounts(out)).toEqual({ Gemm: 2 });
  });

  it('folds into a 2-D MatMul + Add, and gives a MatMul without bias an Add', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2, 5]);
    const withBias = b.op('Add', [b.op('MatMul', [x, b.init('w1', [5, 3], values(15, 9))]), b.init('bias', [3], values(3, 10))]);
    const bare = b.op('MatMul', [x, b.init('w2', [5, 3], values(15, 11))]);
    const model = b.output(batchNorm(b, withBias, 3, 60), batchNorm(b, bare, 3, 70));
    const { model: out } = await optimizeAndCompare(model, 'fold-batchnorm,dce');
    expect(opCounts(out)).toEqual({ MatMul: 2, Add: 2 });
  });

  it('folds per-channel Mul and Add after a Conv', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [1, 2, 4, 4]);
    const c = b.op('Conv', [x, b.init('w', [3, 2, 1, 1], values(6, 12))]);
    const scaled = b.op('Mul', [b.init('scale', [3, 1, 1], values(3, 13)), c]);
    const shifted = b.op('Add', [scaled, b.init('shift', [1, 3, 1, 1], values(3, 14))]);
    const model = b.output(shifted);
    const { model: out, report } = await optimizeAndCompare(model, 'fold-batchnorm,dce');
    expect(opCounts(out)).toEqual({ Conv: 1 });
    expect(stat(report, 'fold-batchnorm', 'muls-folded')).toBe(1);
    expect(stat(report, 'fold-batchnorm', 'adds-folded')).toBe(1);
  });

  it('leaves BatchNormalization whose input has other users, trains, or follows a 3-D MatMul', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [1, 2, 4, 4]);
    const c = b.op('Conv', [x, b.init('w', [2, 2, 1, 1], values(4, 15))]);
    const shared = batchNorm(b, c, 2, 80);
    const s = b.input('s', [2, 3, 5]);
    const mm = b.op('MatMul', [s, b.init('w3', [5, 3], values(15, 16))]);
    const model = b.output(shared, c, batchNorm(b, mm, 3, 90));
    const { model: out, report } = await optimizeAndCompare(model, 'fold-batchnorm');
    expect(opCounts(out).BatchNormalization).toBe(2);
    expect(report.changed).toBe(false);
  });

  it('copies a weight that another node shares instead of changing it', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [1, 2, 4, 4]);
    const w = b.init('w', [2, 2, 1, 1], values(4, 17));
    const model = b.output(batchNorm(b, b.op('Conv', [x, w]), 2, 100), b.op('Conv', [x, w]));
    const { model: out } = await optimizeAndCompare(model, 'fold-batchnorm,dce');
    expect(opCounts(out)).toEqual({ Conv: 2 });
    expect(out.graph.lookup('w')?.initializer?.toNumbers()).toEqual(Array.from(Float32Array.from(values(4, 17))));
  });

  it('respects into=: only the named producers', async () => {
    const b = new ModelBuilder();
    const x = b.input('x', [2, 5]);
    const g = b.op('Gemm', [x, b.init('w', [5, 3], values(15, 18))]);
    const model = b.output(batchNorm(b, g, 3, 110));
    const { report } = await optimizeAndCompare(model, 'fold-batchnorm{into=conv}');
    expect(report.changed).toBe(false);
    const { report: gemm } = await optimizeAndCompare(model, 'fold-batchnorm{into=gemm}');
    expect(gemm.changed).toBe(true);
  });
});

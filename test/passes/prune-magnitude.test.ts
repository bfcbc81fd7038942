import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShearsError } from '../../src/error.js';
import { DType } from '../../src/ir/dtype.js';
import { float16ToFloat32, float32ToFloat16 } from '../../src/ir/float16.js';
import { Model } from '../../src/ir/model.js';
import { Tensor } from '../../src/ir/tensor.js';
import { tensorType } from '../../src/ir/types.js';
import { assertValid } from '../../src/ir/verify.js';
import { runPipeline } from '../../src/pass/manager.js';
import type { PassRegistry } from '../../src/pass/pipeline.js';
import pruneMagnitudePass from '../../passes/prune-magnitude.js';
import { PRUNE_DEFAULTS, pruneMagnitude, PruneOptions } from '../../passes/prune-magnitude/prune.js';
import { decodeMasks, encodeMasks } from '../../passes/prune-magnitude/mask-file.js';
import { isKept } from '../../passes/prune-magnitude/mask.js';
import { tempDir } from '../helpers/build-model.js';
import { convModel, floatData, matmulChain, referenceDropped, weightValues, zeros } from './prune-magnitude-helpers.js';

const registry: PassRegistry = { passes: new Map([[pruneMagnitudePass.name, pruneMagnitudePass]]), pipelines: new Map() };

function prune(model: Model, options: Partial<PruneOptions>) {
  return pruneMagnitude(model, { ...PRUNE_DEFAULTS, minParams: 0, ...options });
}

function droppedPositions(before: readonly Float32Array[], after: readonly Float32Array[]): Set<string> {
  const out = new Set<string>();
  after.forEach((data, t) => data.forEach((v, i) => v === 0 && before[t][i] !== 0 && out.add(`${t}:${i}`)));
  return out;
}

describe('prune-magnitude: exact sparsity', () => {
  it.each([0.3, 0.5, 0.9, 0.95])('layer scope zeroes round(s*n) elements of each weight, the smallest by |w|, ties by index (s=%s)', (s) => {
    const m = matmulChain([37, 53, 29], 3, 0.05);
    const before = ['w1', 'w2'].map((n) => floatData(m, n).slice());
    prune(m, { sparsity: s, scope: 'layer' });
    ['w1', 'w2'].forEach((name, t) => {
      const after = floatData(m, name);
      expect(zeros(after)).toBe(Math.round(s * after.length));
      const expected = referenceDropped([before[t]], Math.round(s * after.length));
      const got = new Set([...after.keys()].filter((i) => after[i] === 0).map((i) => `0:${i}`));
      expect(got).toEqual(expected);
    });
  });

  it.each([0.5, 0.8, 0.95])('global scope zeroes round(s*N) elements over all weights by one threshold (s=%s)', (s) => {
    const m = matmulChain([64, 40, 24, 10], 11, 0.02);
    const names = ['w1', 'w2', 'w3'];
    const before = names.map((n) => floatData(m, n).slice());
    const total = before.reduce((n, d) => n + d.length, 0);
    const report = prune(m, { sparsity: s, scope: 'global' });
    const after = names.map((n) => floatData(m, n));
    expect(after.reduce((n, d) => n + zeros(d), 0)).toBe(Math.round(s * total));
    const reference = referenceDropped(before, Math.round(s * total));
    const alreadyZero = new Set<string>();
    before.forEach((d, t) => d.forEach((v, i) => v === 0 && alreadyZero.add(`${t}:${i}`)));
    expect(droppedPositions(before, after)).toEqual(new Set([...reference].filter((p) => !alreadyZero.has(p))));
    expect(new Set(report.layers.map((l) => l.threshold)).size).toBe(1);
  });

  it('counts already-zero weights toward the target and never adds zeros past it', () => {
    const m = matmulChain([40, 50], 5, 0.3);
    const w = floatData(m, 'w1');
    const zerosBefore = zeros(w);
    expect(zerosBefore).toBeGreaterThan(500);
    const report = prune(m, { sparsity: 0.5 });
    expect(zeros(w)).toBe(1000);
    expect(report.layers[0]).toMatchObject({ zerosBefore, zerosAfter: 1000, params: 2000 });
    const again = prune(m, { sparsity: 0.2 });
    expect(again.zeroed).toBe(0);
    expect(zeros(w)).toBe(1000);
  });

  it('breaks ties by index when every weight has the same magnitude', () => {
    const m = matmulChain([10, 10]);
    const w = floatData(m, 'w1');
    w.fill(0.5);
    prune(m, { sparsity: 0.37 });
    expect([...w].map((v) => (v === 0 ? 0 : 1)).join('')).toBe('0'.repeat(37) + '1'.repeat(63));
  });

  it('stays exact when more weights tie than selection remembers (over 4M equal values)', () => {
    const m = new Model(new Map([['', 17]]));
    const x = m.graph.addInput('x', tensorType(DType.FLOAT, [1, 2100]));
    const w = m.graph.addInitializer('big', new Tensor(DType.FLOAT, [2100, 2000], new Float32Array(2100 * 2000).fill(-0.25)));
    const y = m.graph.addNode({ opType: 'MatMul', inputs: [x, w], outputs: ['y'] }).outputs[0]!;
    y.type = tensorType(DType.FLOAT, [1, 2000]);
    m.graph.outputs = [y];
    const data = floatData(m, 'big');
    data[4_000_000] = 0;
    prune(m, { sparsity: 0.3 });
    const k = Math.round(0.3 * data.length);
    expect(zeros(data)).toBe(k);
    expect(data[k - 2]).toBe(0);
    expect(data[k - 1]).toBe(-0.25);
    expect(data[4_000_000]).toBe(0);
  });

  it('l2 ranks single weights as l1 does', () => {
    const a = matmulChain([30, 30], 9);
    const b = matmulChain([30, 30], 9);
    prune(a, { sparsity: 0.6, criterion: 'l1' });
    prune(b, { sparsity: 0.6, criterion: 'l2' });
    expect(floatData(b, 'w1')).toEqual(floatData(a, 'w1'));
  });

  it('sparsity 0 changes nothing and reports no change', () => {
    const m = matmulChain([30, 30], 2, 0.1);
    const before = floatData(m, 'w1').slice();
    const r = runPipeline(m, 'prune-magnitude{sparsity=0,min-params=0}', { registry, reproducer: false });
    expect(r.changed).toBe(false);
    expect(floatData(m, 'w1')).toEqual(before);
  });
});

describe('prune-magnitude: what is prunable', () => {
  it('prunes Conv weights but never biases, and skips weights under min-params (default 1024)', () => {
    const m = convModel(16, 16);
    const bias = m.graph.lookup('conv.bias')!.initializer!.data.slice();
    const report = pruneMagnitude(m, { ...PRUNE_DEFAULTS, sparsity: 0.5 });
    expect(report.layers.map((l) => l.name)).toEqual(['conv.weight']);
    expect(m.graph.lookup('conv.bias')!.initializer!.data).toEqual(bias);
    const small = convModel(4, 4);
    const r2 = pruneMagnitude(small, { ...PRUNE_DEFAULTS, sparsity: 0.5 });
    expect(r2.layers).toEqual([]);
    expect(r2.skipped).toEqual([{ name: 'conv.weight', reason: 'fewer than 1024 elements' }]);
  });

  it('prunes an initializer shared by several MatMuls once, and lists both consumers', () => {
    const m = new Model(new Map([['', 17]]));
    const g = m.graph;
    const x = g.addInput('x', tensorType(DType.FLOAT, [1, 20]));
    const w = g.addInitializer('shared', new Tensor(DType.FLOAT, [20, 20], weightValues(400, 4)));
    const h = g.addNode({ opType: 'MatMul', name: 'first', inputs: [x, w], outputs: ['h'] }).outputs[0]!;
    const y = g.addNode({ opType: 'MatMul', name: 'second', inputs: [h, w], outputs: ['y'] }).outputs[0]!;
    y.type = tensorType(DType.FLOAT, [1, 20]);
    g.outputs = [y];
    const report = prune(m, { sparsity: 0.75 });
    expect(report.layers).toHaveLength(1);
    expect(report.layers[0].consumers).toEqual(['first', 'second']);
    expect(zeros(floatData(m, 'shared'))).toBe(300);
  });

  it('reaches weights through Transpose and Cast (float16 source) and in Constant nodes; Gemm takes either operand', () => {
    const m = new Model(new Map([['', 17]]));
    const g = m.graph;
    const x = g.addInput('x', tensorType(DType.FLOAT, [1, 32]));
    const half = Uint16Array.from(weightValues(32 * 32, 21), (v) => float32ToFloat16(v));
    const w16 = g.addInitializer('w16', new Tensor(DType.FLOAT16, [32, 32], half));
    const cast = g.addNode({ opType: 'Cast', inputs: [w16], outputs: ['w16f'], attributes: [{ name: 'to', type: 'int', value: DType.FLOAT }] }).outputs[0]!;
    const tr = g.addNode({ opType: 'Transpose', inputs: [cast], outputs: ['w16t'], attributes: [{ name: 'perm', type: 'ints', value: [1, 0] }] }).outputs[0]!;
    const h = g.addNode({ opType: 'MatMul', name: 'mm', inputs: [x, tr], outputs: ['h'] }).outputs[0]!;
    const constant = g.addNode({
      opType: 'Constant',
      inputs: [],
      outputs: ['wc'],
      attributes: [{ name: 'value', type: 'tensor', value: new Tensor(DType.FLOAT, [32, 32], weightValues(1024, 22)) }],
    }).outputs[0]!;
    const y = g.addNode({ opType: 'Gemm', name: 'gemm', inputs: [constant, h], outputs: ['y'], attributes: [{ name: 'transB', type: 'int', value: 1 }] }).outputs[0]!;
    y.type = tensorType(DType.FLOAT, [32, 1]);
    g.outputs = [y];
    const report = prune(m, { sparsity: 0.5 });
    expect(report.layers.map((l) => [l.name, l.zerosAfter])).toEqual([
      ['w16', 512],
      ['wc', 512],
    ]);
    const widened = Array.from(w16.initializer!.data as Uint16Array, float16ToFloat32);
    expect(zeros(widened)).toBe(512);
    expect(zeros(constant.constant!.data as Float32Array)).toBe(512);
    assertValid(m);
  });

  it('prunes a per-axis quantized weight behind DequantizeLinear by setting it to its zero point', () => {
    const m = new Model(new Map([['', 17]]));
    const g = m.graph;
    const x = g.addInput('x', tensorType(DType.FLOAT, [1, 4, 6, 6]));
    const q = Int8Array.from({ length: 8 * 4 * 9 * 4 }, (_, i) => ((i * 37) % 255) - 127);
    const wq = g.addInitializer('wq', new Tensor(DType.INT8, [32, 4, 3, 3], q));
    const scales = Float32Array.from({ length: 32 }, (_, c) => 0.01 * (1 + (c % 5)));
    const zps = Int8Array.from({ length: 32 }, (_, c) => (c % 7) - 3);
    const s = g.addInitializer('wq.scale', new Tensor(DType.FLOAT, [32], scales));
    const z = g.addInitializer('wq.zp', new Tensor(DType.INT8, [32], zps));
    const dq = g.addNode({ opType: 'DequantizeLinear', inputs: [wq, s, z], outputs: ['w'], attributes: [{ name: 'axis', type: 'int', value: 0 }] }).outputs[0]!;
    const y = g.addNode({ opType: 'Conv', name: 'conv', inputs: [x, dq], outputs: ['y'] }).outputs[0]!;
    y.type = tensorType(DType.FLOAT, [1, 32, 4, 4]);
    g.outputs = [y];
    const before = q.slice();
    const report = prune(m, { sparsity: 0.6 });
    expect(report.layers[0].name).toBe('wq');
    const after = wq.initializer!.data as Int8Array;
    const effective = (data: Int8Array) => Array.from(data, (v, i) => (v - zps[Math.floor(i / 36)]) * scales[Math.floor(i / 36)]);
    expect(zeros(effective(after))).toBe(Math.round(0.6 * q.length));
    const reference = referenceDropped([Float32Array.from(effective(before))], Math.round(0.6 * q.length));
    const afterValues = effective(after);
    const dropped = new Set([...after.keys()].filter((i) => afterValues[i] === 0).map((i) => `0:${i}`));
    expect(dropped).toEqual(reference);
  });

  it('reports a model with nothing to prune and changes nothing', () => {
    const m = new Model(new Map([['', 17]]));
    const g = m.graph;
    const x = g.addInput('x', tensorType(DType.FLOAT, [2, 2]));
    const w = g.addInput('w', tensorType(DType.FLOAT, [2, 2]));
    const y = g.addNode({ opType: 'MatMul', inputs: [x, w], outputs: ['y'] }).outputs[0]!;
    y.type = tensorType(DType.FLOAT, [2, 2]);
    g.outputs = [y];
    const r = runPipeline(m, 'prune-magnitude{sparsity=0.9}', { registry, reproducer: false });
    expect(r.changed).toBe(false);
    expect(r.runs[0].notes.join('\n')).toMatch(/nothing to prune: its 1 Conv\/ConvTranspose\/Gemm\/MatMul nodes have no constant weight operand/);
  });
});

describe('prune-magnitude: choosing weights', () => {
  it('include / exclude globs match weight or node names', () => {
    const m = matmulChain([20, 20, 20, 20]);
    expect(prune(m, { include: ['w?'], exclude: ['mm2'] }).layers.map((l) => l.name)).toEqual(['w1', 'w3']);
  });

  it('warns about a pattern that matches nothing and lists candidates', () => {
    const m = matmulChain([20, 20, 20]);
    const r = prune(m, { exclude: ['layer4.*'] });
    expect(r.warnings).toEqual(["exclude pattern 'layer4.*' matches no prunable weight or node; candidates: 'w1' / 'mm1', 'w2' / 'mm2'"]);
    expect(r.layers).toHaveLength(2);
  });

  it('skip-first-last leaves the first and the last layer', () => {
    const m = matmulChain([20, 20, 20, 20, 20]);
    const r = prune(m, { skipFirstLast: true });
    expect(r.layers.map((l) => l.name)).toEqual(['w2', 'w3']);
    expect(r.skipped).toEqual([
      { name: 'w1', reason: 'first layer' },
      { name: 'w4', reason: 'last layer' },
    ]);
  });
});

describe('prune-magnitude: options and errors', () => {
  it.each(['1', '1.5', '-0.1'])('rejects sparsity=%s with E_PIPELINE', (s) => {
    const m = matmulChain([20, 20]);
    expect(() => runPipeline(m, `prune-magnitude{sparsity=${s}}`, { registry, reproducer: false })).toThrow(
      expect.objectContaining({ code: 'E_PIPELINE', message: expect.stringMatching(/sparsity/) }),
    );
  });

  it('parses the documented options in a pipeline', () => {
    const m = matmulChain([40, 40, 40, 40]);
    const zerosBefore = zeros(floatData(m, 'w1')) + zeros(floatData(m, 'w2'));
    const r = runPipeline(m, 'prune-magnitude{sparsity=0.75,scope=global,criterion=l2,include=w*|mm*,exclude=w3,min-params=100,skip-first-last=false}', {
      registry,
      reproducer: false,
    });
    expect(r.runs[0].stats).toEqual({ 'weights-zeroed': 2400 - zerosBefore, 'tensors-pruned': 2, 'tensors-skipped': 1 });
    expect(zeros(floatData(m, 'w1')) + zeros(floatData(m, 'w2'))).toBe(2400);
  });
});

describe('prune-magnitude: masks as data', () => {
  it('saves the masks it used and applies them to a fresh copy with the same result', () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'masks.json');
      const a = matmulChain([30, 40, 20], 8);
      runPipeline(a, `prune-magnitude{sparsity=0.8,scope=global,min-params=0,save-masks=${file}}`, { registry, reproducer: false });
      const b = matmulChain([30, 40, 20], 8);
      runPipeline(b, `prune-magnitude{masks=${file}}`, { registry, reproducer: false });
      expect(zeros(floatData(b, 'w1')) + zeros(floatData(b, 'w2'))).toBe(Math.round(0.8 * 2000));
      for (const n of ['w1', 'w2']) expect(floatData(b, n)).toEqual(floatData(a, n));
      const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect(saved.masks.map((e: { tensor: string; shape: number[] }) => [e.tensor, e.shape])).toEqual([
        ['w1', [30, 40]],
        ['w2', [40, 20]],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it('keeps what the mask keeps even if it is small (rewinding reuses a mask on other weights)', () => {
    const m = matmulChain([8, 8]);
    const w = floatData(m, 'w1');
    const report = prune(m, { sparsity: 0.5 });
    const mask = report.masks[0].mask;
    const fresh = matmulChain([8, 8], 99);
    const fw = floatData(fresh, 'w1').slice();
    prune(fresh, { masks: report.masks });
    const got = floatData(fresh, 'w1');
    for (let i = 0; i < 64; i++) expect(got[i]).toBe(isKept(mask, i) ? fw[i] : 0);
    expect(zeros(w)).toBe(32);
  });

  it('round-trips a mask through the file format, sizes not a multiple of 8 included', () => {
    const m = matmulChain([3, 7]);
    const masks = prune(m, { sparsity: 0.4 }).masks;
    const back = decodeMasks(encodeMasks(masks), 'm.json');
    expect(back).toEqual(masks.map((x) => ({ ...x, dims: [...x.dims] })));
  });

  it('rejects a mask whose shape does not match with E_SHAPE naming the tensor', () => {
    const masks = prune(matmulChain([6, 8]), { sparsity: 0.5 }).masks;
    const other = matmulChain([8, 6]);
    expect(() => prune(other, { masks })).toThrow(expect.objectContaining({ code: 'E_SHAPE', subject: { tensor: 'w1' }, message: expect.stringMatching(/\[6,8\].*\[8,6\]/) }));
  });

  it('rejects a mask for a tensor that is not a prunable weight with E_PIPELINE', () => {
    const masks = prune(matmulChain([6, 8]), { sparsity: 0.5 }).masks.map((x) => ({ ...x, tensor: 'nope' }));
    expect(() => prune(matmulChain([6, 8]), { masks })).toThrow(expect.objectContaining({ code: 'E_PIPELINE', message: expect.stringMatching(/'nope'.*prunable: 'w1'/) }));
  });

  it.each([
    ['not json', /is not JSON/],
    ['{"format":"other"}', /not a shears masks file/],
    ['{"format":"shears-masks","version":1,"masks":[{"tensor":"w","shape":[9],"bits":"AA=="}]}', /holds 8 bits, but its shape \[9\] has 9 elements/],
  ])('rejects a broken masks file %s with E_PARSE', (text, message) => {
    expect(() => decodeMasks(text, 'm.json')).toThrow(ShearsError);
    expect(() => decodeMasks(text, 'm.json')).toThrow(message);
  });
});

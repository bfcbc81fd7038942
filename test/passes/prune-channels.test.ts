/**
 * prune-channels options and bad input: criteria choose what they should, ratio/global-ratio,
 * round-to, min-channels, include/exclude, zero mode, the pass in a pipeline, determinism.
 */
import { describe, expect, test } from 'vitest';
import { analyzeChannels } from '../../passes/channel-groups.js';
import { PRUNE_CHANNELS_DEFAULTS, pruneChannels, PruneChannelsOptions } from '../../passes/prune-channels/prune.js';
import { ShearsError } from '../../src/error.js';
import type { Model } from '../../src/ir/model.js';
import { printModel } from '../../src/ir/print.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeModel } from '../../src/onnx/import.js';
import { runPipeline } from '../../src/pass/manager.js';
import { Layers } from './channel-helpers.js';

/** conv(3→16) → BN → ReLU → conv(16→24) → BN → ReLU → conv(24→2): two prunable groups of 16 and 24. */
function twoGroups(seed = 1): Model {
  const l = new Layers(seed);
  const x = l.b.input('x', [1, 3, 8, 8]);
  return l.b.output(l.conv(l.convBnRelu(l.convBnRelu(x, 3, 16), 16, 24), 24, 2));
}

const defaults = { ...PRUNE_CHANNELS_DEFAULTS, include: [], exclude: [] };
const prune = (m: Model, o: Partial<PruneChannelsOptions> = {}) => pruneChannels(m, { ...defaults, ...o });
const kept = (m: Model): number[] => m.graph.nodes.filter((n) => n.opType === 'Conv').map((n) => n.inputs[1]!.constant!.dims[0]);

describe('prune-channels: deciding', () => {
  test('ratio removes floor(ratio·n) channels of every group', () => {
    const m = twoGroups();
    const r = prune(m, { ratio: 0.3 });
    expect(kept(m)).toEqual([16 - 4, 24 - 7, 2]);
    expect(r.channels.removed).toBe(11);
  });

  test('l1 removes the filters with the smallest weights, wherever they are coupled', () => {
    const m = twoGroups();
    const conv = m.graph.nodes.find((n) => n.opType === 'Conv')!;
    const w = conv.inputs[1]!.constant!.data as Float32Array;
    for (const c of [3, 9]) w.fill(0.001, c * 27, (c + 1) * 27);
    const marker = Array.from(w.subarray(0, 16 * 27)).filter((_, i) => ![3, 9].includes(Math.floor(i / 27)));
    prune(m, { ratio: 2 / 16 + 0.01 });
    expect(Array.from(conv.inputs[1]!.constant!.data as Float32Array).slice(0, 14 * 27)).toEqual(marker.slice(0, 14 * 27));
  });

  test('bn-gamma removes the channels with the smallest BatchNorm scale', () => {
    const m = twoGroups();
    const bn = m.graph.nodes.find((n) => n.opType === 'BatchNormalization')!;
    const gamma = bn.inputs[1]!.constant!.data as Float32Array;
    gamma.set([0.01, -0.02], 5);
    const survivors = Array.from(gamma).filter((_, i) => i !== 5 && i !== 6);
    prune(m, { ratio: 0.13, criterion: 'bn-gamma' });
    expect(Array.from(bn.inputs[1]!.constant!.data as Float32Array)).toEqual(survivors);
  });

  test('random depends on the seed only', () => {
    const pick = (seed: number) => {
      const m = twoGroups();
      prune(m, { criterion: 'random', seed });
      return printModel(m);
    };
    expect(pick(3)).toBe(pick(3));
    expect(pick(3)).not.toBe(pick(4));
  });

  test('global-ratio ranks across groups and removes that fraction of all channels', () => {
    const m = twoGroups();
    const conv = m.graph.nodes.filter((n) => n.opType === 'Conv')[1];
    const w = conv.inputs[1]!.constant!.data as Float32Array;
    w.forEach((x, i) => (w[i] = x * 0.01));
    const r = prune(m, { globalRatio: 0.5 });
    expect(r.channels.removed).toBe(20);
    const [a, b] = r.groups.filter((g) => g.status === 'prunable');
    expect(b.removedUnits).toBeGreaterThan(a.removedUnits);
  });

  test('round-to keeps channel counts multiples of N, min-channels keeps a floor', () => {
    const m = twoGroups();
    prune(m, { ratio: 0.6, roundTo: 8 });
    expect(kept(m)).toEqual([8, 16, 2]);
    const n = twoGroups();
    prune(n, { ratio: 0.99, minChannels: 5 });
    expect(kept(n)).toEqual([5, 5, 2]);
    const o = twoGroups();
    prune(o, { ratio: 0.99 });
    expect(kept(o)).toEqual([1, 1, 2]);
  });

  test('include and exclude select groups by layer or tensor names; unmatched patterns warn', () => {
    const m = twoGroups();
    const first = m.graph.nodes.find((n) => n.opType === 'Conv')!.name;
    const r = prune(m, { exclude: [first], include: ['*'] });
    expect(kept(m)).toEqual([16, 12, 2]);
    expect(r.groups.map((g) => g.status)).toContain('excluded');
    const w = prune(twoGroups(), { include: ['no-such-layer*'] });
    expect(w.warnings.join('\n')).toMatch(/pattern 'no-such-layer\*' matches no layer/);
    expect(w.warnings.join('\n')).toMatch(/nothing to prune/);
  });
});

describe('prune-channels: bad input', () => {
  test('a ratio outside [0, 1) is refused', () => {
    for (const ratio of [1, -0.1, 1.5, Number.NaN]) expect(() => prune(twoGroups(), { ratio })).toThrow(ShearsError);
    expect(() => prune(twoGroups(), { globalRatio: 1 })).toThrow(/global-ratio must be at least 0 and below 1/);
    expect(() => runPipeline(twoGroups(), 'prune-channels{ratio=1.5}', { log: () => {}, reproducer: false })).toThrow(/ratio/);
    expect(() => runPipeline(twoGroups(), 'prune-channels{ratio=1}', { log: () => {}, reproducer: false })).toThrow(/below 1/);
  });

  test('a model with nothing prunable is left unchanged, with a note', () => {
    const l = new Layers();
    const x = l.b.input('x', [1, 3, 8, 8]);
    const m = l.b.output(l.conv(x, 3, 4));
    const text = printModel(m);
    const notes: string[] = [];
    const report = runPipeline(m, 'prune-channels', { log: () => {}, reproducer: false });
    for (const run of report.runs) notes.push(...run.notes);
    expect(report.changed).toBe(false);
    expect(printModel(m)).toBe(text);
    expect(notes.join('\n')).toMatch(/nothing to prune/);
  });

  test('ratio 0 changes nothing', () => {
    const m = twoGroups();
    const text = printModel(m);
    const report = runPipeline(m, 'prune-channels{ratio=0}', { log: () => {}, reproducer: false });
    expect(report.changed).toBe(false);
    expect(printModel(m)).toBe(text);
  });
});

describe('prune-channels: the pass', () => {
  test('runs in a pipeline with the verifier, reports statistics, and is deterministic', () => {
    const bytes = encodeModel(twoGroups()).bytes;
    const run = () => {
      const m = decodeModel(bytes);
      const report = runPipeline(m, 'prune-channels{ratio=0.5,explain=true},dce', { verifyEach: true, log: () => {}, reproducer: false });
      return { m, report };
    };
    const { m, report } = run();
    const stats = report.runs[0].stats;
    expect(stats['channels-removed']).toBe(8 + 12);
    expect(stats['groups-pruned']).toBe(2);
    expect(report.runs[0].notes.join('\n')).toMatch(/#0 +fixed .*\n +because of graph input 'x'/);
    expect(encodeModel(run().m).bytes).toEqual(encodeModel(m).bytes);
  });

  test('mode=zero keeps shapes and makes the chosen channels exactly zero', () => {
    const m = twoGroups();
    const before = printModel(m).split('\n').filter((l) => l.includes('Conv')).join('\n');
    const r = prune(m, { mode: 'zero' });
    expect(printModel(m).split('\n').filter((l) => l.includes('Conv')).join('\n')).toBe(before);
    const first = m.graph.nodes.find((n) => n.opType === 'Conv')!;
    const rows = Array.from({ length: 16 }, (_, c) => Array.from((first.inputs[1]!.constant!.data as Float32Array).subarray(c * 27, (c + 1) * 27)));
    expect(rows.filter((row) => row.every((x) => x === 0)).length).toBe(8);
    expect(r.params.after).toBe(r.params.before);
  });

  test('combined with magnitude pruning in one pipeline', () => {
    const m = twoGroups();
    runPipeline(m, 'prune-channels{ratio=0.5},prune-magnitude{sparsity=0.5,min-params=0}', { verifyEach: true, log: () => {}, reproducer: false });
    expect(kept(m)).toEqual([8, 12, 2]);
    const w = m.graph.nodes.filter((n) => n.opType === 'Conv')[1].inputs[1]!.constant!;
    expect(w.countZeros() / w.size).toBeCloseTo(0.5, 2);
  });

  test('analysis groups are reported with the layers they belong to', () => {
    const a = analyzeChannels(twoGroups());
    expect(a.groups.map((g) => [g.status, g.units.length])).toEqual([
      ['fixed', 3],
      ['prunable', 16],
      ['prunable', 24],
      ['fixed', 2],
    ]);
  });
});

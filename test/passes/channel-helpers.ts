/**
 * Helpers of the channel-pruning tests: layers for small hand-built graphs, the zoo of exported
 * torchvision models, random channel selections, and the invariant that every test checks:
 * the physically pruned model gives the same outputs in onnxruntime as the dense model whose
 * selected channels were zeroed (and the zeroing did change the outputs).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import type { ChannelAnalysis, ChannelGroup } from '../../passes/channel-groups.js';
import type { UnitId } from '../../passes/channel-groups/types.js';
import { PRUNE_CHANNELS_DEFAULTS, pruneChannels, PruneChannelsOptions } from '../../passes/prune-channels/prune.js';
import type { PruneChannelsReport } from '../../passes/prune-channels/report.js';
import type { Model } from '../../src/ir/model.js';
import type { Value } from '../../src/ir/value.js';
import { verifyModel } from '../../src/ir/verify.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeModel } from '../../src/onnx/import.js';
import { seededRandom } from '../../src/util/random.js';
import { compareOutputs, randomInputs } from '../helpers/diff.js';
import { runOrt } from '../helpers/ort.js';
import { float, int, ints, ModelBuilder } from './builder.js';

export const ZOO_DIR = path.join('test', 'fixtures', '.cache', 'prune-zoo');

/** The CNNs of the pruning zoo (test/fixtures/build-prune-zoo.py builds these and a small MLP and Transformer). */
export const ZOO_CNNS = [
  'resnet18',
  'resnet50',
  'mobilenet_v2',
  'mobilenet_v3_small',
  'shufflenet_v2_x1_0',
  'squeezenet1_1',
  'densenet121',
  'efficientnet_b0',
  'googlenet',
  'regnet_x_400mf',
];

/** The exported zoo model (built on first use by build-prune-zoo.py, then cached). */
export function zooModel(name: string): string {
  const file = path.join(ZOO_DIR, `${name}.onnx`);
  if (!fs.existsSync(file)) execFileSync('/usr/bin/python3', ['test/fixtures/build-prune-zoo.py', ZOO_DIR, name], { stdio: 'pipe' });
  return file;
}

/** Layers with seeded random weights, on top of the pass tests' ModelBuilder. */
export class Layers {
  readonly b: ModelBuilder;
  private readonly random: () => number;
  private n = 0;

  constructor(seed = 1, opset = 13) {
    this.b = new ModelBuilder(opset);
    this.random = seededRandom(seed);
  }

  weight(dims: number[], scale = 0.5, offset = 0): Value {
    const size = dims.reduce((a, c) => a * c, 1);
    return this.b.init(`w${this.n++}`, dims, Array.from({ length: size }, () => offset + (this.random() * 2 - 1) * scale));
  }

  conv(x: Value, cin: number, cout: number, o: { k?: number; group?: number; bias?: boolean } = {}): Value {
    const k = o.k ?? 3;
    const group = o.group ?? 1;
    const w = this.weight([cout, cin / group, k, k]);
    const inputs = o.bias === false ? [x, w] : [x, w, this.weight([cout], 0.1)];
    const p = Math.floor(k / 2);
    return this.b.op('Conv', inputs, [ints('kernel_shape', [k, k]), ints('pads', [p, p, p, p]), int('group', group)]);
  }

  bn(x: Value, c: number): Value {
    return this.b.op('BatchNormalization', [x, this.weight([c], 0.5, 1), this.weight([c], 0.1), this.weight([c], 0.1), this.weight([c], 0.2, 1)], [float('epsilon', 1e-5)]);
  }

  relu(x: Value): Value {
    return this.b.op('Relu', [x]);
  }

  convBnRelu(x: Value, cin: number, cout: number, o: { k?: number; group?: number } = {}): Value {
    return this.relu(this.bn(this.conv(x, cin, cout, o), cout));
  }

  gemm(x: Value, k: number, n: number): Value {
    return this.b.op('Gemm', [x, this.weight([n, k], 0.3), this.weight([n], 0.1)], [int('transB', 1)]);
  }
}

/** A seeded random decision: every group loses a random 10–80% of its units (at least one stays). */
export function randomChoice(seed: number): (groups: readonly ChannelGroup[]) => Set<UnitId> {
  return (groups) => {
    const random = seededRandom(seed);
    const removed = new Set<UnitId>();
    for (const g of groups) {
      const n = g.units.length;
      const count = Math.min(n - 1, Math.round(n * (0.1 + 0.7 * random())));
      const order = g.units.map((u) => ({ u, r: random() })).sort((a, b) => a.r - b.r);
      for (const { u } of order.slice(0, count)) removed.add(u);
    }
    return removed;
  };
}

export interface InvariantResult {
  zeroed: PruneChannelsReport;
  pruned: PruneChannelsReport;
  prunedModel: Model;
}

/**
 * Soft-prune one copy and physically prune another with the same choice; the pruned model must be
 * valid, run in ORT and match the soft-pruned one, which must differ from the dense one.
 */
export async function checkInvariant(source: Model | Uint8Array | string, choose: PruneChannelsOptions['choose'], dims: Record<string, number> = {}): Promise<InvariantResult> {
  const bytes = typeof source === 'string' ? new Uint8Array(fs.readFileSync(source)) : source instanceof Uint8Array ? source : encodeModel(source).bytes;
  const options = { ...PRUNE_CHANNELS_DEFAULTS, include: [], exclude: [], choose };
  const soft = decodeModel(bytes);
  const zeroed = pruneChannels(soft, { ...options, mode: 'zero' });
  const hard = decodeModel(bytes);
  const pruned = pruneChannels(hard, { ...options, mode: 'remove' });
  expect(verifyModel(hard)).toEqual([]);
  const inputs = randomInputs(hard, dims);
  const quiet = { sessionOptions: { logSeverityLevel: 3 as const } };
  const dense = await runOrt(bytes, inputs, quiet);
  const softOut = await runOrt(encodeModel(soft).bytes, inputs, quiet);
  const hardOut = await runOrt(encodeModel(hard).bytes, inputs, quiet);
  expect(compareOutputs(softOut, hardOut, toleranceFor(softOut))).toBeUndefined();
  if (pruned.channels.removed > 0) expect(compareOutputs(dense, softOut, { rtol: 0, atol: 0 })).toBeDefined();
  return { zeroed, pruned, prunedModel: hard };
}

/** Removing zero terms reorders float sums; the error scales with the outputs' magnitude. */
function toleranceFor(outputs: Record<string, { toNumbers(): number[] }>): { rtol: number; atol: number } {
  let max = 0;
  for (const t of Object.values(outputs)) for (const x of t.toNumbers()) max = Math.max(max, Math.abs(x));
  return { rtol: 1e-4, atol: 1e-5 * Math.max(1, max) };
}

/** The groups whose units lie on this value (on `axis`, or on its first channel axis). */
export function groupOfValue(analysis: ChannelAnalysis, name: string, axis?: number): ChannelGroup[] {
  const m = analysis.members.find((x) => x.value.name === name && (axis === undefined || x.axis === axis));
  if (!m) return [];
  return [...new Set(m.units.map((u) => analysis.groupOf.get(u)!))];
}

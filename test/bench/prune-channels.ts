/**
 * Targets (issue #6): ResNet-18 with prune-channels{ratio=0.5} has ≤ 30% of the dense parameters and
 * FLOPs, and runs in ≤ 40% of the dense model's onnxruntime latency (both measured here, side by
 * side, interleaved, in one process); analysing and pruning ResNet-50 takes < 2 s.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { analyzeChannels } from '../../passes/channel-groups.js';
import { PRUNE_CHANNELS_DEFAULTS, pruneChannels } from '../../passes/prune-channels/prune.js';
import type { PruneChannelsReport } from '../../passes/prune-channels/report.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeModel, loadModel } from '../../src/onnx/import.js';
import { randomInputs } from '../helpers/diff.js';
import { createSession, runSession } from '../helpers/ort.js';
import { Bench, median, ms, Table } from './bench.js';

const CACHE = 'test/fixtures/.cache';
const LATENCY_RUNS = 30;
const PRUNE_RUNS = 3;
const options = { ...PRUNE_CHANNELS_DEFAULTS, include: [], exclude: [] };

function fixture(name: string): string {
  const file = path.join(CACHE, `${name}.onnx`);
  if (!fs.existsSync(file)) {
    const r = spawnSync('/usr/bin/python3', ['test/fixtures/build-torchvision.py', CACHE, name], { stdio: 'inherit' });
    if (r.status !== 0 || !fs.existsSync(file)) throw new Error(`could not build ${file} (needs /usr/bin/python3 with torch, torchvision, onnx)`);
  }
  return file;
}

/** Median latency of each model, runs interleaved so that both see the same machine load. */
async function sideBySide(models: Uint8Array[], threads: number): Promise<number[]> {
  const sessionOptions: ort.InferenceSession.SessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3 };
  const sessions = await Promise.all(models.map((m) => createSession(m, sessionOptions)));
  const inputs = randomInputs(decodeModel(models[0]));
  const times: number[][] = models.map(() => []);
  for (const s of sessions) await runSession(s, inputs);
  for (let i = 0; i < LATENCY_RUNS; i++) {
    for (let k = 0; k < sessions.length; k++) {
      const start = performance.now();
      await runSession(sessions[k], inputs);
      times[k].push(performance.now() - start);
    }
  }
  await Promise.all(sessions.map((s) => s.release()));
  return times.map(median);
}

const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)}%`;

async function resnet18(): Promise<Table> {
  const file = fixture('resnet18');
  const dense = new Uint8Array(fs.readFileSync(file));
  const model = loadModel(file);
  const report: PruneChannelsReport = pruneChannels(model, { ...options, ratio: 0.5 });
  const pruned = encodeModel(model).bytes;
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const threads of [1, 2]) {
    const [d, p] = await sideBySide([dense, pruned], threads);
    rows.push([`onnxruntime latency, ${threads} thread${threads > 1 ? 's' : ''}`, ms(d), ms(p), pct(p, d)]);
    notes.push(`latency ${threads} thread(s) ${pct(p, d)} of dense — target ≤ 40%: ${p <= 0.4 * d ? 'MET' : 'MISSED'}`);
  }
  rows.unshift(
    ['parameters', report.params.before.toLocaleString('en-US'), report.params.after.toLocaleString('en-US'), pct(report.params.after, report.params.before)],
    ['FLOPs', report.flops.before.toLocaleString('en-US'), report.flops.after.toLocaleString('en-US'), pct(report.flops.after, report.flops.before)],
    ['file bytes', dense.length.toLocaleString('en-US'), pruned.length.toLocaleString('en-US'), pct(pruned.length, dense.length)],
  );
  notes.unshift(
    `parameters ${pct(report.params.after, report.params.before)} of dense — target ≤ 30%: ${report.params.after <= 0.3 * report.params.before ? 'MET' : 'MISSED'}`,
    `FLOPs ${pct(report.flops.after, report.flops.before)} of dense — target ≤ 30%: ${report.flops.after <= 0.3 * report.flops.before ? 'MET' : 'MISSED'}`,
    `reachable channels ${pct(report.reachable, 1)}; median of ${LATENCY_RUNS} runs each, dense and pruned interleaved, input 1x3x224x224`,
  );
  return { title: `prune-channels{ratio=0.5} on ${path.basename(file)} (224x224, l1)`, columns: ['what', 'dense', 'pruned', 'pruned / dense'], rows, notes };
}

function resnet50(): Table {
  const file = fixture('resnet50');
  const analysis: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < PRUNE_RUNS; i++) {
    const model = loadModel(file);
    for (const v of model.graph.initializers) void v.initializer!.data;
    let start = performance.now();
    analyzeChannels(model);
    analysis.push(performance.now() - start);
    start = performance.now();
    pruneChannels(model, { ...options, ratio: 0.5 });
    whole.push(performance.now() - start);
  }
  const t = median(whole);
  return {
    title: `prune-channels on ${path.basename(file)} (25.6 M params): median of ${PRUNE_RUNS} runs, model loaded and weights read before timing`,
    columns: ['step', 'median'],
    rows: [
      ['channel analysis (shape inference + groups)', ms(median(analysis))],
      ['prune-channels{ratio=0.5}: analysis, importance, selection, apply, params/FLOPs before and after', ms(t)],
    ],
    notes: [`analysing and pruning ${ms(t)} — target < 2000 ms: ${t < 2000 ? 'MET' : 'MISSED'}`],
  };
}

export const pruneChannelsBench: Bench = {
  name: 'prune-channels',
  async run(): Promise<Table[]> {
    return [await resnet18(), resnet50()];
  },
};

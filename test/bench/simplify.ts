/**
 * Targets (issue #3): `simplify` on ResNet-50 runs in under 1 s, and pass time grows linearly with
 * node count (chains of 1k, 10k and 100k elementwise nodes). The peer measured in the same run is
 * onnxruntime's own graph optimizer: session creation at the "extended" optimization level minus
 * session creation with optimizations disabled, on the same file.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { cpuEvaluator } from '../../backends/cpu-js/evaluator.js';
import { DType } from '../../src/ir/dtype.js';
import { Model } from '../../src/ir/model.js';
import { Tensor } from '../../src/ir/tensor.js';
import { tensorType } from '../../src/ir/types.js';
import type { Value } from '../../src/ir/value.js';
import { decodeModel } from '../../src/onnx/import.js';
import { PipelineReport, runPipeline } from '../../src/pass/manager.js';
import { aggregateRuns } from '../../src/pass/timing.js';
import { Bench, median, ms, Table } from './bench.js';

const RUNS = 5;
const TARGET_MS = 1000;
const CACHE = 'test/fixtures/.cache';
const FIXTURE = path.join(CACHE, 'resnet50.onnx');
const CHAIN_SIZES = [1_000, 10_000, 100_000];

function fixture(): string {
  if (!fs.existsSync(FIXTURE)) {
    const r = spawnSync('/usr/bin/python3', ['test/fixtures/build-torchvision.py', CACHE, 'resnet50'], { stdio: 'inherit' });
    if (r.status !== 0 || !fs.existsSync(FIXTURE)) throw new Error(`could not build ${FIXTURE} (needs /usr/bin/python3 with torch, torchvision, onnx)`);
  }
  return FIXTURE;
}

interface Timing {
  /** Wall time of the whole pipeline, verifier after every pass included (as the CLI runs it). */
  ms: number[];
  /** Time inside the passes alone. */
  passMs: number[];
  report: PipelineReport;
  nodes: [number, number];
}

/** `simplify` on a fresh copy each time, after one warm-up run. */
function timeSimplify(make: () => Model, runs: number): Timing {
  const timing: Timing = { ms: [], passMs: [], report: undefined!, nodes: [0, 0] };
  for (let i = 0; i <= runs; i++) {
    const model = make();
    const before = model.graph.nodes.length;
    const start = performance.now();
    timing.report = runPipeline(model, 'simplify', { evaluator: cpuEvaluator, reproducer: { source: make }, log: () => {} });
    if (i > 0) {
      timing.ms.push(performance.now() - start);
      timing.passMs.push(timing.report.runs.reduce((n, r) => n + r.ms, 0));
    }
    timing.nodes = [before, model.graph.nodes.length];
  }
  return timing;
}

async function ortOptimizeMs(file: string): Promise<number> {
  const session = async (level: 'disabled' | 'extended'): Promise<number> => {
    const start = performance.now();
    const s = await ort.InferenceSession.create(file, { graphOptimizationLevel: level, logSeverityLevel: 3 });
    const t = performance.now() - start;
    await s.release();
    return t;
  };
  const extended: number[] = [];
  const disabled: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const e = await session('extended');
    const d = await session('disabled');
    if (i > 0) extended.push(e), disabled.push(d);
  }
  return median(extended) - median(disabled);
}

/**
 * x → Add(c) → Relu → Identity → Mul(k) → Add(c) → …: `n` elementwise nodes with a dynamic batch,
 * where every Identity goes away and every Mul's scale is a foldable Constant × Constant.
 */
function chain(n: number): Model {
  const m = new Model(new Map([['', 17]]));
  const g = m.graph;
  let v: Value = g.addInput('x', tensorType(DType.FLOAT, ['batch', 8]));
  const c = g.addInitializer('c', Tensor.fromNumbers(DType.FLOAT, [8], [1, 2, 3, 4, 5, 6, 7, 8]));
  for (let i = 0; i < n; i++) {
    const kind = i % 4;
    let inputs: Value[] = [v];
    if (kind === 0) inputs = [v, c];
    if (kind === 3) {
      const k = g.addInitializer(`k${i}`, Tensor.fromNumbers(DType.FLOAT, [], [0.5 + (i % 7) / 10]));
      const scale = g.addNode({ opType: 'Mul', inputs: [k, k], outputs: [`scale${i}`] }).outputs[0]!;
      inputs = [v, scale];
    }
    v = g.addNode({ opType: ['Add', 'Relu', 'Identity', 'Mul'][kind], inputs, outputs: [`v${i}`] }).outputs[0]!;
  }
  g.outputs = [v];
  return m;
}

export const simplifyBench: Bench = {
  name: 'simplify',
  async run(): Promise<Table[]> {
    const file = fixture();
    const bytes = fs.readFileSync(file);
    const resnet = timeSimplify(() => decodeModel(bytes), RUNS);
    const t = median(resnet.ms);
    const peer = await ortOptimizeMs(file);
    const perPass = aggregateRuns(resnet.report.runs).map((r) => `${r.step} ${r.ms.toFixed(0)} ms`);

    const scaling = CHAIN_SIZES.map((n) => {
      const r = timeSimplify(() => chain(n), n >= 100_000 ? 1 : 3);
      return { n, ms: median(r.ms), passMs: median(r.passMs), nodes: r.nodes };
    });
    const perNode = scaling.map((s) => (1000 * s.passMs) / s.n);
    const growth = perNode[perNode.length - 1] / perNode[0];

    return [
      {
        title: `simplify on ${path.basename(file)} (${resnet.nodes[0]} → ${resnet.nodes[1]} nodes), verifier after every pass; median of ${RUNS} runs after a warm-up`,
        columns: ['what', 'median', '× shears'],
        rows: [
          ['shears simplify', ms(t), '1.00'],
          ['onnxruntime graph optimizer (session "extended" − "disabled")', ms(peer), (peer / t).toFixed(2)],
        ],
        notes: [`target < ${TARGET_MS} ms: ${t < TARGET_MS ? 'met' : 'MISSED'}`, `last run by pass: ${perPass.join(', ')}`],
      },
      {
        title: 'simplify on chains of elementwise nodes (Add, Relu, Identity, Mul by a foldable Constant×Constant; dynamic batch)',
        columns: ['chain nodes', 'nodes before → after', 'time in passes', 'µs per chain node', 'wall time with verifier'],
        rows: scaling.map((s, i) => [s.n.toLocaleString('en-US'), `${s.nodes[0].toLocaleString('en-US')} → ${s.nodes[1].toLocaleString('en-US')}`, ms(s.passMs), perNode[i].toFixed(1), ms(s.ms)]),
        notes: [`time in passes per node at ${CHAIN_SIZES[CHAIN_SIZES.length - 1].toLocaleString('en-US')} / at ${CHAIN_SIZES[0].toLocaleString('en-US')}: ${growth.toFixed(2)} (linear: stays near 1; quadratic would be ${CHAIN_SIZES[CHAIN_SIZES.length - 1] / CHAIN_SIZES[0]})`],
      },
    ];
  },
};

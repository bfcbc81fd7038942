/**
 * cpu-js against onnxruntime-node on every model of the channel-pruning zoo (torchvision CNNs at
 * 64x64, an MLP, a Transformer encoder; test/fixtures/build-prune-zoo.py), each as exported, after
 * `simplify`, and after `prune-channels{ratio=0.5}`: both engines run the same model bytes on the
 * same seeded random inputs, and every output must agree. A table of the largest differences and
 * of the run times (median of three runs after a warm-up, one thread each) is printed.
 */
import * as fs from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { compileGraph } from '../../../backends/cpu-js/compile.js';
import { cpuEvaluator } from '../../../backends/cpu-js/evaluator.js';
import type { Model } from '../../../src/ir/model.js';
import type { Tensor } from '../../../src/ir/tensor.js';
import { randomInputs } from '../../../src/io/input-files.js';
import { encodeModel } from '../../../src/onnx/export.js';
import { decodeModel } from '../../../src/onnx/import.js';
import { runPipeline } from '../../../src/pass/manager.js';
import { createSession, runSession } from '../../helpers/ort.js';
import { ZOO_CNNS, zooModel } from '../../passes/channel-helpers.js';
import { mismatch, type Tolerance } from './compare.js';

const ZOO = [...ZOO_CNNS, 'mlp', 'transformer'];

/** `mustChange`: every zoo model has prunable channels, but squeezenet1_1 has nothing that `simplify` rewrites. */
const VARIANTS: readonly { label: string; pipeline: string | null; mustChange: boolean }[] = [
  { label: 'exported', pipeline: null, mustChange: false },
  { label: 'simplify', pipeline: 'simplify', mustChange: false },
  { label: 'prune 0.5', pipeline: 'prune-channels{ratio=0.5}', mustChange: true },
];

const TOLERANCE: Tolerance = { rtol: 1e-3, atol: 1e-4 };

interface Row {
  model: string;
  variant: string;
  nodes: number;
  maxAbsDiff: number;
  maxAbsOutput: number;
  cpuMs: number;
  ortMs: number;
}

const rows: Row[] = [];

/** The model after the pipeline, and whether the pipeline changed it. */
function transformed(bytes: Uint8Array, pipeline: string | null): { model: Model; changed: boolean } {
  const model = decodeModel(bytes);
  const changed = pipeline ? runPipeline(model, pipeline, { evaluator: cpuEvaluator, log: () => {}, reproducer: false }).changed : false;
  return { model, changed };
}

const TIMED_RUNS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/**
 * Both engines run once untimed (cpu-js records its buffer plan there), then TIMED_RUNS times; the
 * last outputs are compared, the median time is reported.
 */
async function runBoth(model: Model, feeds: Record<string, Tensor>): Promise<{ cpu: Record<string, Tensor>; ort: Record<string, Tensor>; cpuMs: number; ortMs: number }> {
  const exe = compileGraph(model.graph);
  let cpu = exe.runSync(feeds) as Record<string, Tensor>;
  const cpuTimes: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    const start = performance.now();
    cpu = exe.runSync(feeds) as Record<string, Tensor>;
    cpuTimes.push(performance.now() - start);
  }
  const session = await createSession(encodeModel(model).bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 });
  try {
    let ort = await runSession(session, feeds);
    const ortTimes: number[] = [];
    for (let i = 0; i < TIMED_RUNS; i++) {
      const start = performance.now();
      ort = await runSession(session, feeds);
      ortTimes.push(performance.now() - start);
    }
    return { cpu, ort, cpuMs: median(cpuTimes), ortMs: median(ortTimes) };
  } finally {
    await session.release();
  }
}

function maxAbs(values: number[]): number {
  return values.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
}

describe('cpu-js on the pruning zoo, against onnxruntime', () => {
  for (const name of ZOO) {
    test(name, async () => {
      const bytes = new Uint8Array(fs.readFileSync(zooModel(name)));
      for (const { label, pipeline, mustChange } of VARIANTS) {
        const { model, changed } = transformed(bytes, pipeline);
        if (mustChange) expect(changed, `${pipeline} changed ${name}`).toBe(true);
        const feeds = randomInputs(model.graph, 1).feeds as Record<string, Tensor>;
        const { cpu, ort, cpuMs, ortMs } = await runBoth(model, feeds);
        let maxAbsDiff = 0;
        let maxAbsOutput = 0;
        for (const [output, want] of Object.entries(ort)) {
          expect(mismatch(cpu[output], want, TOLERANCE), `${name} ${label}, output ${output}`).toBeNull();
          const got = cpu[output].toNumbers();
          const expected = want.toNumbers();
          maxAbsDiff = Math.max(maxAbsDiff, maxAbs(expected.map((e, i) => e - got[i])));
          maxAbsOutput = Math.max(maxAbsOutput, maxAbs(expected));
        }
        rows.push({ model: name, variant: label, nodes: model.graph.nodes.length, maxAbsDiff, maxAbsOutput, cpuMs, ortMs });
      }
    });
  }

  afterAll(() => {
    if (!rows.length) return;
    const header = `${'model'.padEnd(20)} ${'variant'.padEnd(10)} ${'nodes'.padStart(5)} ${'max |diff|'.padStart(10)} ${'max |out|'.padStart(9)} ${'cpu-js ms'.padStart(9)} ${'ORT ms'.padStart(7)}`;
    const lines = rows.map(
      (r) =>
        `${r.model.padEnd(20)} ${r.variant.padEnd(10)} ${String(r.nodes).padStart(5)} ${r.maxAbsDiff.toExponential(2).padStart(10)} ${r.maxAbsOutput.toPrecision(3).padStart(9)} ${r.cpuMs.toFixed(1).padStart(9)} ${r.ortMs.toFixed(1).padStart(7)}`,
    );
    console.log(`cpu-js vs onnxruntime-node (1 thread each) on the pruning zoo, rtol ${TOLERANCE.rtol}, atol ${TOLERANCE.atol}:\n${[header, ...lines].join('\n')}`);
  });
});

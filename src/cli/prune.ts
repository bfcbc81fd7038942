/**
 * `shears prune IN -o OUT --sparsity S …`: a pruning pipeline followed by dce (what `shears optimize`
 * would run with that pipeline), then a report: parameters, nonzeros, file size, and how far the
 * pruned model's outputs moved on sample inputs (and its accuracy, with labels).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ShearsError } from '../error.js';
import type { Model } from '../ir/model.js';
import { summarizeModel } from '../ir/summary.js';
import { loadModel } from '../onnx/import.js';
import { saveModel } from '../onnx/save.js';
import { SPARSE_INDEX_TYPES, SparseIndexType, SparseStorageReport, storeSparse } from '../onnx/sparse-storage.js';
import { runPipeline, PipelineReport } from '../pass/manager.js';
import { formatPipeline, PipelineStep } from '../pass/pipeline.js';
import { defaultRegistry } from '../pass/registry.js';
import { compareOutputs, OutputDeviation } from '../report/deviation.js';
import type { ParsedArgs } from './args.js';
import type { Command, CommandIO } from './command.js';
import { requirePositional } from './command.js';
import { saveOptions, saveOptionsFrom } from './save-options.js';
import { humanBytes, withCommas } from './format.js';
import { measure, Measurement, measureOptions, probeFromArgs, Probe } from './measure.js';
import { cpuJsRunner, ModelRunner } from './model-runner.js';
import { channelsMethod } from './prune-channels-method.js';
import { magnitudeMethod } from './prune-magnitude-method.js';
import type { PlannedPrune, PruneMethod } from './prune-method.js';

/**
 * Every way to prune, one line each; they run in this order when several are asked for: channels
 * are removed first, so that magnitude pruning's sparsity applies to the weights that remain.
 */
const methods: PruneMethod[] = [channelsMethod, magnitudeMethod];

/** Timed runs per model for the latency figures (after one untimed run that plans buffers). */
const TIMED_RUNS = 3;

export interface WeightCounts {
  params: number;
  nonzeros: number;
}

export interface PruneSummary {
  input: string;
  output: string;
  pipeline: string;
  params: { before: number; after: number };
  /** Estimated FLOPs (as `shears inspect` counts them). */
  flops: { before: number; after: number };
  /** Median cpu-js time of one run on the samples, before and after; null when not measured. */
  latencyMs: { before: number; after: number } | null;
  nonzeros: { before: number; after: number };
  fileBytes: { before: number; after: number };
  sparseStorage: SparseStorageReport | null;
  /** Per-method details (the per-weight table of magnitude pruning). */
  methods: unknown[];
  /** Where the measured inputs came from; null when nothing was measured. */
  measuredOn: string | null;
  /** Why the model was not measured, when it was not. */
  notMeasured: string | null;
  deviation: OutputDeviation[];
  accuracy: { before: number; after: number } | null;
  notes: string[];
}

export const pruneCommand: Command = {
  name: 'prune',
  summary: 'Prune weights (--sparsity) and/or whole channels (--channels); report sizes and how far the outputs moved.',
  usage: 'shears prune MODEL.onnx -o OUT.onnx [--channels R] [--sparsity S [--scope layer|global]] [--sparse-storage] [--data PATH] [--labels FILE]',
  description: `
Runs a pruning pipeline and then dce, as \`shears optimize\` would, and prints the equivalent
pipeline. Magnitude pruning zeroes the S fraction of each weight with the smallest |w| (or, with
--scope global, of all weights together), exactly to within one element. Weights are the constant
weight operands of Conv, ConvTranspose, Gemm and MatMul; biases and normalization parameters are
never pruned; weights under --min-params elements are left alone.

Channel pruning (--channels R) removes the R fraction of the output channels of every group of
coupled channels (convs feeding one residual sum, a depthwise conv and its producer, Concat
offsets, Flatten blocks, ...), ranked by --channel-criterion, and physically slices every weight
that reads them, so the model gets smaller and faster on any runtime. Channels that an op shears
does not understand would change are left alone; --explain says which node blocked which group.
With both options, channels are removed first and the remaining weights are magnitude-pruned.

Unless --no-measure, the original and the pruned model are run with the cpu-js back end on the
samples in --data (default: seeded random inputs of the model's input shapes) and the report gives
each output's max |diff|, cosine similarity and, for classifier outputs [N, classes], top-1
agreement; with --labels, accuracy before and after.

--sparse-storage stores pruned initializers as ONNX sparse_initializer where that is smaller.
onnxruntime densifies them when it loads the model: this saves file and download bytes, not memory
at run time. Indices default to the narrowest type that addresses each tensor (int8/int16/int32),
which current onnxruntime reads; older onnxruntime builds and onnx.checker accept int64 indices
only: use --sparse-index-type int64 for those.`,
  options: [
    { name: 'output', short: 'o', type: 'string', value: 'FILE', description: 'where to write the pruned model (never the input file)' },
    ...methods.flatMap((m) => m.options),
    ...saveOptions,
    { name: 'sparse-storage', type: 'boolean', description: 'store pruned initializers as sparse_initializer where that is smaller' },
    { name: 'sparse-index-type', type: 'string', default: 'auto', value: SPARSE_INDEX_TYPES.join('|'), description: 'index type of sparse initializers' },
    ...measureOptions,
    { name: 'measure', type: 'boolean', default: true, description: 'run both models on the samples (--no-measure skips it)' },
    { name: 'json', type: 'boolean', description: 'print the report as JSON' },
  ],
  async run(args, io) {
    const { summary, details } = await prune(args, cpuJsRunner, io);
    io.out(args.options.get('json') ? JSON.stringify(summary, null, 2) + '\n' : formatSummary(summary, details));
    return 0;
  },
};

export interface PruneOutcome {
  summary: PruneSummary;
  /** Each method's text for the report (the per-weight table of magnitude pruning). */
  details: string[];
}

/** The prune command without its printing; `runner` runs models for the measurements. */
export async function prune(args: ParsedArgs, runner: ModelRunner, io: CommandIO): Promise<PruneOutcome> {
  const [input] = requirePositional(args, 1, 'one model file');
  const output = args.options.get('output') as string | undefined;
  if (!output) throw new ShearsError('E_USAGE', 'say where to write the pruned model: -o OUT.onnx');
  if (path.resolve(output) === path.resolve(input)) throw new ShearsError('E_USAGE', `-o ${output} is the input file; shears never overwrites its input`);
  const indexType = sparseIndexType(args);
  const planned = methods.map((m) => m.plan(args)).filter((p): p is PlannedPrune => p !== null);
  if (!planned.length) throw new ShearsError('E_USAGE', `say how to prune: ${methods.map((m) => m.usage).join(', or ')}`);
  const dce: PipelineStep = { kind: 'pass', pass: defaultRegistry.passes.get('dce')!, options: {} };
  const steps = [...planned.flatMap((p) => p.steps), dce];

  const model = loadModel(input);
  const before = weightCounts(model);
  const flopsBefore = summarizeModel(model).flops;
  const notes: string[] = [];
  const measured = args.options.get('measure') ? await measureOrExplain(model, args, runner) : { probe: null, result: null, why: 'not asked (--no-measure)' };

  const report: PipelineReport = runPipeline(model, steps, { log: io.err });
  for (const run of report.runs) notes.push(...run.notes);
  const sparseStorage = args.options.get('sparse-storage') ? storeSparse(model, indexType) : null;
  const after = weightCounts(model);
  const pruned = measured.probe && measured.result ? await measure(model, measured.probe, runner, TIMED_RUNS) : null;
  const saved = saveModel(model, output, saveOptionsFrom(args, output));
  const sideBytes = saved.sideFiles.reduce((n, f) => n + fs.statSync(f).size, 0);

  const summary: PruneSummary = {
    input,
    output,
    pipeline: formatPipeline(steps),
    params: { before: before.params, after: after.params },
    flops: { before: flopsBefore, after: summarizeModel(model).flops },
    latencyMs: pruned?.latencyMs != null && measured.result?.latencyMs != null ? { before: measured.result.latencyMs, after: pruned.latencyMs } : null,
    nonzeros: { before: before.nonzeros, after: after.nonzeros },
    fileBytes: { before: fileBytes(input), after: saved.bytes + sideBytes },
    sparseStorage,
    methods: planned.map((p) => p.json()),
    measuredOn: pruned ? measured.probe!.source : null,
    notMeasured: pruned ? null : measured.why,
    deviation: pruned ? compareOutputs(measured.result!.outputs, pruned.outputs) : [],
    accuracy: pruned && pruned.accuracy !== null ? { before: measured.result!.accuracy!, after: pruned.accuracy } : null,
    notes,
  };
  return { summary, details: planned.map((p) => p.describe()).filter((t) => t) };
}

/** Float weights (initializers, sparse initializers, Constant tensors), as `shears inspect` counts them. */
export function weightCounts(model: Model): WeightCounts {
  const s = summarizeModel(model);
  let params = 0;
  let nonzeros = 0;
  for (const w of s.initializers) {
    if (!['float32', 'float16', 'bfloat16', 'float64'].includes(w.dtype)) continue;
    params += w.elements;
    nonzeros += w.elements - w.zeros;
  }
  return { params, nonzeros };
}

async function measureOrExplain(model: Model, args: ParsedArgs, runner: ModelRunner): Promise<{ probe: Probe | null; result: Measurement | null; why: string }> {
  const probe = probeFromArgs(model, args);
  try {
    return { probe, result: await measure(model, probe, runner, TIMED_RUNS), why: '' };
  } catch (e) {
    // A model the back end cannot run is still pruned; only the measurement is skipped.
    if (e instanceof ShearsError && e.code === 'E_UNSUPPORTED_OP') return { probe: null, result: null, why: e.message };
    throw e;
  }
}

function sparseIndexType(args: ParsedArgs): SparseIndexType {
  const t = args.options.get('sparse-index-type') as string;
  if (!(SPARSE_INDEX_TYPES as readonly string[]).includes(t)) throw new ShearsError('E_USAGE', `--sparse-index-type must be one of ${SPARSE_INDEX_TYPES.join(', ')}, got '${t}'`);
  return t as SparseIndexType;
}

function fileBytes(file: string): number {
  return fs.statSync(file).size;
}

export function formatSummary(s: PruneSummary, details: readonly string[]): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const sparsity = (c: { params: number; nonzeros: number }) => pct(c.params ? 1 - c.nonzeros / c.params : 0);
  const lines = [
    `pruned    ${s.input} -> ${s.output}`,
    `pipeline  ${s.pipeline}`,
    `params    ${withCommas(s.params.before)} -> ${withCommas(s.params.after)}`,
    `FLOPs     ${withCommas(s.flops.before)} -> ${withCommas(s.flops.after)} (${pct(s.flops.before ? s.flops.after / s.flops.before : 1)})`,
    `nonzeros  ${withCommas(s.nonzeros.before)} -> ${withCommas(s.nonzeros.after)} (weight sparsity ${sparsity({ params: s.params.before, nonzeros: s.nonzeros.before })} -> ${sparsity({ params: s.params.after, nonzeros: s.nonzeros.after })})`,
    `file      ${withCommas(s.fileBytes.before)} B (${humanBytes(s.fileBytes.before)}) -> ${withCommas(s.fileBytes.after)} B (${humanBytes(s.fileBytes.after)}), ${pct(s.fileBytes.after / s.fileBytes.before)} of the input`,
  ];
  if (s.sparseStorage) lines.push(`sparse    ${describeSparse(s.sparseStorage)}`);
  for (const n of s.notes) lines.push(`note      ${n}`);
  for (const d of details) lines.push('', d);
  lines.push('');
  if (!s.measuredOn) lines.push(`outputs   not measured: ${s.notMeasured}`);
  else {
    lines.push(`outputs   measured on ${s.measuredOn}`);
    for (const d of s.deviation) {
      const top1 = d.top1Agreement === null ? '' : `, top-1 agreement ${pct(d.top1Agreement)}`;
      lines.push(`  ${d.output}: max |diff| ${d.maxAbsDiff.toPrecision(4)}, cosine similarity ${d.cosine.toFixed(6)}${top1}`);
    }
    if (s.accuracy) lines.push(`accuracy  ${pct(s.accuracy.before)} -> ${pct(s.accuracy.after)}`);
    if (s.latencyMs) {
      const { before, after } = s.latencyMs;
      lines.push(`latency   ${before.toFixed(2)} ms -> ${after.toFixed(2)} ms (${pct(after / before)}), cpu-js, median of ${TIMED_RUNS} runs on these samples`);
    }
  }
  return lines.join('\n') + '\n';
}

function describeSparse(r: SparseStorageReport): string {
  if (!r.converted.length) return 'no initializer is smaller sparse than dense; all stay dense';
  const byType = new Map<string, number>();
  for (const c of r.converted) byType.set(c.indexType, (byType.get(c.indexType) ?? 0) + 1);
  const dense = r.converted.reduce((n, c) => n + c.denseBytes, 0);
  const sparse = r.converted.reduce((n, c) => n + c.sparseBytes, 0);
  const types = [...byType].map(([t, n]) => `${n} with ${t} indices`).join(', ');
  return `${r.converted.length} initializers stored sparse (${types}): ${humanBytes(dense)} dense -> ${humanBytes(sparse)}`;
}

/**
 * `shears optimize IN -o OUT --passes PIPELINE`: run a pass pipeline (default `simplify`) and
 * print what it changed: nodes, parameters, bytes and FLOPs before and after, and each pass's
 * statistics.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cpuEvaluator } from '../../backends/cpu-js/evaluator.js';
import { ShearsError } from '../error.js';
import type { Model } from '../ir/model.js';
import { summarizeModel } from '../ir/summary.js';
import { loadModel } from '../onnx/import.js';
import { saveModel } from '../onnx/save.js';
import { PipelineReport, runPipeline } from '../pass/manager.js';
import { parsePipeline } from '../pass/pipeline.js';
import { defaultRegistry } from '../pass/registry.js';
import type { ParsedArgs } from './args.js';
import type { Command } from './command.js';
import { requirePositional } from './command.js';
import { saveOptions, saveOptionsFrom } from './save-options.js';
import { humanBytes, humanCount, table, withCommas } from './format.js';

export interface ModelFacts {
  nodes: number;
  params: number;
  bytes: number;
  flops: number;
}

export const optimizeCommand: Command = {
  name: 'optimize',
  summary: 'Run a pass pipeline (default: simplify) and report what it changed.',
  usage: 'shears optimize MODEL.onnx -o OUT.onnx [--passes PIPELINE] [--time-passes] [--print-ir-after NAME|all] ...',
  description: `
PIPELINE is pass names separated by commas, each with optional {option=value,...}, and groups
run to a fixed point with fixpoint(...), e.g.
  --passes "dce,fold-constants{max-growth=2},fixpoint(cse,dce)"
Named pipelines (simplify) can be used as a pass. \`shears passes\` lists every pass with its options.
The verifier runs after every pass unless --no-verify-each. When a pass fails, the IR it failed
on and the one-step pipeline that fails on it are written to a folder (--reproducer-dir, default
a new temporary folder) and the command to rerun it is printed. The input file is never
overwritten unless --in-place.`,
  options: [
    { name: 'output', short: 'o', type: 'string', value: 'FILE', description: 'where to write the optimized model' },
    { name: 'passes', type: 'string', default: 'simplify', value: 'PIPELINE', description: 'the pass pipeline' },
    ...saveOptions,
    { name: 'in-place', type: 'boolean', description: 'write the result over the input file' },
    { name: 'verify-each', type: 'boolean', default: true, description: 'run the IR verifier after every pass (--no-verify-each to skip)' },
    { name: 'print-ir-after', type: 'string[]', value: 'NAME|all', description: 'print the IR after this pass (comma-separated names allowed)' },
    { name: 'print-ir-after-change', type: 'boolean', description: 'print the IR after every pass run that changed it' },
    { name: 'time-passes', type: 'boolean', description: 'print wall time, runs and changes per pass' },
    { name: 'disable-pass', type: 'string[]', value: 'NAME', description: 'skip this pass wherever the pipeline has it' },
    { name: 'reproducer-dir', type: 'string', value: 'DIR', description: 'where to write a reproducer if a pass fails' },
    { name: 'json', type: 'boolean', description: 'print the summary as JSON' },
  ],
  run(args, io) {
    const { input, output } = files(args);
    const steps = parsePipeline(args.options.get('passes') as string, defaultRegistry);
    const model = loadModel(input);
    const before = facts(model, fs.statSync(input).size);
    const report = runPipeline(model, steps, {
      evaluator: cpuEvaluator,
      verifyEach: args.options.get('verify-each') as boolean,
      printIrAfter: list(args, 'print-ir-after'),
      printIrAfterChange: Boolean(args.options.get('print-ir-after-change')),
      timePasses: Boolean(args.options.get('time-passes')),
      disable: list(args, 'disable-pass'),
      reproducer: { dir: args.options.get('reproducer-dir') as string | undefined, source: () => loadModel(input) },
      log: io.err,
    });
    const saved = saveModel(model, output, saveOptionsFrom(args, output));
    const after = facts(model, saved.bytes + saved.sideFiles.reduce((n, f) => n + fs.statSync(f).size, 0));
    io.out(args.options.get('json') ? JSON.stringify(jsonSummary(input, output, report, before, after), null, 2) + '\n' : formatSummary(input, output, report, before, after));
    return 0;
  },
};

function files(args: ParsedArgs): { input: string; output: string } {
  const [input] = requirePositional(args, 1, 'one model file');
  const inPlace = Boolean(args.options.get('in-place'));
  const given = args.options.get('output') as string | undefined;
  if (!given && !inPlace) throw new ShearsError('E_USAGE', 'say where to write the result: -o OUT.onnx (or --in-place to replace the input)');
  const output = given ?? input;
  if (!inPlace && path.resolve(output) === path.resolve(input)) throw new ShearsError('E_USAGE', `-o ${output} is the input file; pass --in-place to overwrite it`);
  return { input, output };
}

function list(args: ParsedArgs, name: string): string[] {
  return ((args.options.get(name) as string[] | undefined) ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s);
}

export function facts(model: Model, bytes: number): ModelFacts {
  const s = summarizeModel(model);
  return { nodes: s.nodes, params: s.params, bytes, flops: s.flops };
}

/** Statistic totals per pass, in first-run order. */
function passStats(report: PipelineReport): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const run of report.runs) {
    const totals = out.get(run.step) ?? {};
    for (const [k, v] of Object.entries(run.stats)) totals[k] = (totals[k] ?? 0) + v;
    out.set(run.step, totals);
  }
  return out;
}

function notes(report: PipelineReport): string[] {
  const all = [...report.runs.flatMap((r) => r.notes.map((n) => `${r.step}: ${n}`)), ...report.notes];
  return [...new Set(all)];
}

function formatSummary(input: string, output: string, report: PipelineReport, before: ModelFacts, after: ModelFacts): string {
  const change = (a: number, b: number): string => (a === 0 ? (b === 0 ? '0%' : 'new') : `${(((b - a) / a) * 100).toFixed(1)}%`);
  const row = (label: string, a: number, b: number, fmt: (n: number) => string): string[] => [label, fmt(a), fmt(b), change(a, b)];
  const count = (n: number): string => `${withCommas(n)} (${humanCount(n)})`;
  const lines = [
    `optimized ${input} → ${output}`,
    `pipeline  ${report.pipeline}  (${report.runs.length} pass runs, ${report.ms.toFixed(0)} ms)`,
    '',
    table(
      ['', 'before', 'after', 'change'],
      [row('nodes', before.nodes, after.nodes, withCommas), row('params', before.params, after.params, count), row('bytes', before.bytes, after.bytes, (n) => `${withCommas(n)} (${humanBytes(n)})`), row('FLOPs', before.flops, after.flops, count)],
      [false, true, true, true],
    ),
    '',
    'pass statistics',
  ];
  for (const [step, stats] of passStats(report)) {
    const entries = Object.entries(stats);
    lines.push(`  ${step}: ${entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(', ') : 'no changes'}`);
  }
  const remarks = notes(report);
  if (remarks.length) lines.push('', 'notes', ...remarks.map((n) => `  ${n}`));
  return lines.join('\n') + '\n';
}

function jsonSummary(input: string, output: string, report: PipelineReport, before: ModelFacts, after: ModelFacts): unknown {
  return { input, output, pipeline: report.pipeline, ms: report.ms, before, after, passes: Object.fromEntries(passStats(report)), notes: notes(report) };
}

/**
 * `shears sensitivity MODEL`: prune one weight at a time at each level and measure the model
 * (Distiller's sensitivity analysis); prints a table, writes sensitivity.json and sensitivity.svg.
 */
import * as path from 'node:path';
import { CRITERION_NAMES } from '../../passes/prune-magnitude/criterion.js';
import { PRUNE_DEFAULTS } from '../../passes/prune-magnitude/prune.js';
import { analyzeSensitivity, SensitivityResult } from '../../passes/prune-magnitude/sensitivity.js';
import { ShearsError } from '../error.js';
import type { Model } from '../ir/model.js';
import { loadModel } from '../onnx/import.js';
import { writeFileAtomic } from '../onnx/save.js';
import { argmaxRows, compareOutputs } from '../report/deviation.js';
import { lineChartSvg } from '../report/line-chart.js';
import type { ParsedArgs } from './args.js';
import type { Command, CommandIO } from './command.js';
import { requirePositional } from './command.js';
import { table } from './format.js';
import { measure, Measurement, measureOptions, Probe, probeFromArgs } from './measure.js';
import { cpuJsRunner, ModelRunner } from './model-runner.js';

const METRICS = {
  accuracy: { label: 'accuracy', percent: true, doc: 'accuracy against --labels (the default with labels)' },
  top1: { label: 'top-1 agreement with the unpruned model', percent: true, doc: 'rows whose argmax agrees with the unpruned model (default for classifiers)' },
  cosine: { label: 'cosine similarity to the unpruned output', percent: false, doc: 'cosine similarity of the first output (default otherwise)' },
} as const;
type Metric = keyof typeof METRICS;

const DEFAULT_LEVELS = '0.5,0.7,0.8,0.9,0.95';

export interface SensitivityReport extends SensitivityResult {
  model: string;
  metric: Metric;
  metricLabel: string;
  measuredOn: string;
  levels: number[];
}

export const sensitivityCommand: Command = {
  name: 'sensitivity',
  summary: 'Prune one layer at a time at several sparsities and measure the model (sensitivity analysis).',
  usage: 'shears sensitivity MODEL.onnx [--data PATH] [--labels FILE] [--levels 0.5,0.7,0.8,0.9,0.95] [--out-dir DIR]',
  description: `
For every prunable weight (the weight operands of Conv, ConvTranspose, Gemm and MatMul with at least
--min-params elements) and every level, prunes only that weight to that sparsity by magnitude, runs
the model with the cpu-js back end on the samples, records the metric and restores the weight.
Metrics: ${Object.entries(METRICS)
    .map(([k, m]) => `${k}: ${m.doc}`)
    .join('; ')}.
Writes DIR/sensitivity.json and DIR/sensitivity.svg (one line per layer, x = sparsity, y = metric).`,
  options: [
    { name: 'levels', type: 'string', default: DEFAULT_LEVELS, value: 'S,S,...', description: 'sparsities to try, each at least 0 and below 1' },
    { name: 'metric', type: 'string', value: Object.keys(METRICS).join('|'), description: 'what to measure' },
    { name: 'criterion', type: 'string', value: CRITERION_NAMES.join('|'), description: `importance of a weight (default ${PRUNE_DEFAULTS.criterion})` },
    { name: 'include', type: 'string[]', value: 'GLOB', description: 'analyze only weights whose name or consumer node name matches' },
    { name: 'exclude', type: 'string[]', value: 'GLOB', description: 'skip weights whose name or consumer node name matches' },
    { name: 'min-params', type: 'number', value: 'N', description: `skip weights with fewer elements (default ${PRUNE_DEFAULTS.minParams})` },
    ...measureOptions,
    { name: 'out-dir', type: 'string', default: '.', value: 'DIR', description: 'where sensitivity.json and sensitivity.svg go' },
    { name: 'json', type: 'boolean', description: 'print the result as JSON' },
  ],
  async run(args, io) {
    const report = await sensitivity(args, cpuJsRunner, io);
    const dir = args.options.get('out-dir') as string;
    const files = writeSensitivityFiles(report, dir);
    io.out(args.options.get('json') ? JSON.stringify(report, null, 2) + '\n' : `${formatSensitivity(report)}\nwrote ${files.join(', ')}\n`);
    return 0;
  },
};

/** The analysis without printing or files; `runner` runs the model for each measurement. */
export async function sensitivity(args: ParsedArgs, runner: ModelRunner, io: CommandIO): Promise<SensitivityReport> {
  const [file] = requirePositional(args, 1, 'one model file');
  const levels = parseLevels(args.options.get('levels') as string);
  const criterion = (args.options.get('criterion') as string | undefined) ?? PRUNE_DEFAULTS.criterion;
  if (!CRITERION_NAMES.includes(criterion)) throw new ShearsError('E_USAGE', `--criterion must be one of ${CRITERION_NAMES.join(', ')}, got '${criterion}'`);
  const asked = args.options.get('metric') as string | undefined;
  if (asked !== undefined && !(asked in METRICS)) throw new ShearsError('E_USAGE', `--metric must be one of ${Object.keys(METRICS).join(', ')}, got '${asked}'`);
  const model = loadModel(file);
  const probe = probeFromArgs(model, args);
  if (asked === 'accuracy' && !probe.labels) throw new ShearsError('E_USAGE', '--metric accuracy needs --labels (and --data)');
  const reference = await measure(model, probe, runner);
  const metric = chooseMetric(asked as Metric | undefined, probe, reference, model);
  const result = await analyzeSensitivity(
    model,
    {
      levels,
      criterion,
      include: (args.options.get('include') as string[] | undefined) ?? [],
      exclude: (args.options.get('exclude') as string[] | undefined) ?? [],
      minParams: (args.options.get('min-params') as number | undefined) ?? PRUNE_DEFAULTS.minParams,
      skipFirstLast: false,
    },
    async (m) => score(metric, await measure(m, probe, runner), reference, m),
  );
  for (const w of result.warnings) io.err(`shears: warning: ${w}\n`);
  if (!result.layers.length) io.err('shears: warning: no weight to analyze (no prunable weight has --min-params elements or matches --include)\n');
  return { model: file, metric, metricLabel: METRICS[metric].label, measuredOn: probe.source, levels, ...result };
}

function parseLevels(text: string): number[] {
  const levels = text.split(',').map((t) => t.trim());
  const values = levels.map(Number);
  const bad = levels.find((t, i) => t === '' || !(values[i] >= 0 && values[i] < 1));
  if (bad !== undefined) throw new ShearsError('E_USAGE', `--levels takes sparsities at least 0 and below 1, separated by commas; got '${bad}' in '${text}'`);
  return values;
}

function chooseMetric(asked: Metric | undefined, probe: Probe, reference: Measurement, model: Model): Metric {
  const first = reference.outputs[model.graph.outputs[0]?.name ?? ''];
  const classifier = first ? argmaxRows(first) !== null : false;
  const metric = asked ?? (probe.labels ? 'accuracy' : classifier ? 'top1' : 'cosine');
  if (metric === 'top1' && !classifier) throw new ShearsError('E_USAGE', `--metric top1 needs a classifier output [N, classes]; the first output has shape [${first?.dims.join(',')}]`);
  return metric;
}

function score(metric: Metric, m: Measurement, reference: Measurement, model: Model): number {
  if (metric === 'accuracy') return m.accuracy!;
  const name = model.graph.outputs[0].name;
  const [d] = compareOutputs({ [name]: reference.outputs[name] }, { [name]: m.outputs[name] });
  return metric === 'top1' ? d.top1Agreement! : d.cosine;
}

export function formatSensitivity(r: SensitivityReport): string {
  const f = (v: number) => (METRICS[r.metric].percent ? `${(v * 100).toFixed(2)}%` : v.toFixed(5));
  const rows = r.layers.map((l) => [l.name, `[${l.shape.join(',')}]`, l.params, ...l.values.map(f)]);
  return [
    `${r.metricLabel} on ${r.measuredOn}; unpruned: ${f(r.baseline)}`,
    '',
    table(['weight', 'shape', 'params', ...r.levels.map((s) => `${(s * 100).toFixed(0)}%`)], rows, [false, false, true, ...r.levels.map(() => true)]),
  ].join('\n') + '\n';
}

export function writeSensitivityFiles(r: SensitivityReport, dir: string): string[] {
  const json = path.join(dir, 'sensitivity.json');
  const svg = path.join(dir, 'sensitivity.svg');
  const percent = METRICS[r.metric].percent;
  const chart = lineChartSvg({
    title: `Sensitivity of ${path.basename(r.model)}: one layer pruned at a time`,
    xLabel: 'sparsity of the pruned layer',
    yLabel: r.metricLabel,
    series: r.layers.map((l) => ({ name: l.name, points: [[0, r.baseline] as const, ...r.levels.map((s, i) => [s, l.values[i]] as const)] })),
    formatX: (x) => `${Math.round(x * 100)}%`,
    formatY: (y) => (percent ? `${Number((y * 100).toPrecision(6))}%` : String(Number(y.toPrecision(6)))),
  });
  writeFileAtomic(json, [new TextEncoder().encode(JSON.stringify(r, null, 2) + '\n')]);
  writeFileAtomic(svg, [new TextEncoder().encode(chart)]);
  return [json, svg];
}

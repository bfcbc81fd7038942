/**
 * Measuring a model on sample inputs (`--data`, or seeded random inputs) and, with `--labels`,
 * its accuracy; shared by `shears prune` and `shears sensitivity`.
 */
import * as fs from 'node:fs';
import { quoted, ShearsError } from '../error.js';
import type { Model } from '../ir/model.js';
import type { Tensor } from '../ir/tensor.js';
import { randomInputs, readInputFiles } from '../io/input-files.js';
import { decodeNpy } from '../io/npy.js';
import { decodeTensor } from '../onnx/import.js';
import { accuracy } from '../report/deviation.js';
import type { OptionSpec, ParsedArgs } from './args.js';
import type { ModelRunner } from './model-runner.js';

export const measureOptions: OptionSpec[] = [
  {
    name: 'data',
    type: 'string[]',
    value: 'PATH',
    description: 'sample inputs: .npy or ONNX TensorProto .pb files, NAME=FILE, or folders of them (default: random inputs of the input shapes)',
  },
  { name: 'labels', type: 'string', value: 'FILE', description: 'integer class labels (.npy or .pb) of the samples; adds accuracy' },
  { name: 'seed', type: 'number', default: 0, value: 'N', description: 'seed of the random inputs used without --data' },
];

/** What a model is measured on. */
export interface Probe {
  inputs: Record<string, Tensor>;
  labels: Tensor | null;
  /** Where the inputs come from, for the report. */
  source: string;
}

export interface Measurement {
  outputs: Record<string, Tensor>;
  /** Median time of one run on the samples, when timed runs were asked for. */
  latencyMs: number | null;
  /** Accuracy of the first output against the labels; null without labels. */
  accuracy: number | null;
}

export function probeFromArgs(model: Model, args: ParsedArgs): Probe {
  const data = (args.options.get('data') as string[] | undefined) ?? [];
  const labelsFile = args.options.get('labels') as string | undefined;
  const seed = args.options.get('seed') as number;
  if (labelsFile && !data.length) throw new ShearsError('E_USAGE', '--labels needs --data: the labels belong to the samples it gives');
  const labels = labelsFile ? readLabels(labelsFile) : null;
  const feeds = data.length ? readInputFiles(model.graph, data) : randomInputs(model.graph, seed).feeds;
  const inputs: Record<string, Tensor> = {};
  for (const [name, value] of Object.entries(feeds)) {
    if (value === null || Array.isArray(value)) throw new ShearsError('E_USAGE', `input ${quoted(name)} is not a tensor; shears measures with tensor inputs only`, { tensor: name });
    inputs[name] = value;
  }
  return { inputs, labels, source: data.length ? data.join(', ') : `random inputs (seed ${seed})` };
}

export async function measure(model: Model, probe: Probe, runner: ModelRunner, timedRuns = 0): Promise<Measurement> {
  const { outputs, latencyMs } = await runner(model, probe.inputs, timedRuns);
  const first = outputs[model.graph.outputs[0]?.name ?? ''];
  return { outputs, latencyMs, accuracy: probe.labels && first ? accuracy(first, probe.labels) : null };
}

function readLabels(file: string): Tensor {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new ShearsError('E_IO', `cannot read labels ${quoted(file, 200)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path: file });
  }
  if (file.endsWith('.npy')) return decodeNpy(bytes, file);
  if (file.endsWith('.pb')) return decodeTensor(bytes);
  throw new ShearsError('E_USAGE', `labels ${quoted(file, 200)} must be a .npy or .pb (ONNX TensorProto) file`, { path: file });
}

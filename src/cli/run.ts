import * as fs from 'node:fs';
import * as path from 'node:path';
import { Feeds, MEMORY_MODES, MemoryMode } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import type { RuntimeValue } from '../backend/value.js';
import { ShearsError } from '../error.js';
import { dtypeName } from '../ir/dtype.js';
import type { Tensor } from '../ir/tensor.js';
import { formatShape } from '../ir/types.js';
import { randomInputs, readInputFiles } from '../io/input-files.js';
import { encodeNpy } from '../io/npy.js';
import { loadModel } from '../onnx/import.js';
import { writeFileAtomic } from '../onnx/save.js';
import '../backends.js';
import type { OptionSpec } from './args.js';
import type { Command } from './command.js';
import { hasLeanNodeFlags, LEAN_NODE_FLAGS } from '../backend/lean-node-flags.js';
import { requirePositional } from './command.js';
import { humanBytes, table, withCommas } from './format.js';

/** `--memory MODE`, for the commands that create kernels (run, compile). */
export const MEMORY_OPTION: OptionSpec = { name: 'memory', type: 'string', default: 'fast', value: 'MODE', description: 'fast: kernels may keep packed copies of weights; lean: read weights in place' };

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a model on a back end and print its outputs\' shapes and a summary.',
  usage: 'shears run MODEL.onnx [--backend cpu-js] [--input FILE|NAME=FILE|DIR]... [--output DIR] [--stats] [--memory fast|lean]',
  description: `
Inputs: one file per graph input, --input repeated, or a folder of them. A .pb file (ONNX
TensorProto) binds to the input its tensor is named after; .npy files and unnamed tensors bind to
the remaining inputs in order; NAME=FILE binds explicitly. Without --input, seeded random inputs of
the model's shapes are used (floats in [-1, 1), integers in [0, 10); symbolic dims taken as 1).
--output DIR writes each output as DIR/<output name>.npy (characters outside [A-Za-z0-9._-]
become _; a sequence output writes <name>_<i>.npy per element).
--stats prints the buffer plan: peak activation bytes (the shared arena) against the sum of all
intermediates, which separate buffers would take; and the process's peak RSS, with its growth over
what it held before loading the model.
--memory lean keeps no transformed or packed copies of the weights (no Winograd filters, GEMM
panels or sparse rows), and runs in a node started with
  ${LEAN_NODE_FLAGS.join(' ')}
(a small young generation, optimizing compiles on the main thread; shears relaunches node with
them): memory stays near the weights plus the arena, at some cost in speed. cpu-js ResNet-50, one
thread: peak RSS 109 MiB above node's own for 97.4 MiB of weights and a 9.2 MiB arena, against
about 400 MiB in fast mode.`,
  options: [
    { name: 'backend', short: 'b', type: 'string', default: 'cpu-js', value: 'NAME', description: 'back end to run on' },
    { name: 'input', short: 'i', type: 'string[]', value: 'FILE', description: 'input file (.npy or .pb), NAME=FILE, or a folder' },
    { name: 'output', short: 'o', type: 'string', value: 'DIR', description: 'write each output to DIR/<name>.npy' },
    { name: 'seed', type: 'number', default: 0, value: 'N', description: 'seed for random inputs' },
    { name: 'stats', type: 'boolean', description: 'print the buffer plan (peak activation bytes vs the sum of intermediates) and peak memory' },
    MEMORY_OPTION,
    { name: 'threads', type: 'number', default: 1, value: 'N', description: 'split large Conv/GEMM kernels across N threads (0 = one per core); off by default: it pays only while the other cores are free' },
  ],
  async run(args, io) {
    const [file] = requirePositional(args, 1, 'one model file');
    const rssBefore = process.memoryUsage.rss();
    const model = loadModel(file);
    const backend = getBackend(args.options.get('backend') as string);
    const specs = (args.options.get('input') as string[] | undefined) ?? [];
    const seed = args.options.get('seed') as number;
    const random = specs.length ? null : randomInputs(model.graph, seed);
    const feeds: Feeds = random ? random.feeds : readInputFiles(model.graph, specs);
    const threads = args.options.get('threads') as number;
    if (!Number.isInteger(threads) || threads < 0) throw new ShearsError('E_USAGE', `--threads needs a whole number >= 0, got ${threads}`);
    const exe = backend.compile(model, { threads, memory: memoryMode(args.options.get('memory') as string) });
    try {
      const start = performance.now();
      const outputs = await exe.run(feeds);
      const ms = performance.now() - start;
      io.out(table(['output', 'dtype', 'shape', 'summary'], Object.entries(outputs).map(([name, v]) => [name, ...describeValue(v)])) + '\n');
      io.out(`\nran ${model.graph.nodes.length} nodes on ${backend.name} in ${ms.toFixed(1)} ms${random ? ` (random inputs, seed ${seed}${random.assumed.length ? `, ${random.assumed.map((d) => `${d}=1`).join(', ')}` : ''})` : ''}\n`);
      const stats = exe.stats();
      if (args.options.get('stats') && stats) {
        const saved = stats.sumIntermediateBytes > 0 ? ` (${((1 - stats.peakActivationBytes / stats.sumIntermediateBytes) * 100).toFixed(1)}% less)` : '';
        io.out(`peak activation bytes ${withCommas(stats.peakActivationBytes)} (${humanBytes(stats.peakActivationBytes)}) vs sum of intermediates ${withCommas(stats.sumIntermediateBytes)} (${humanBytes(stats.sumIntermediateBytes)})${saved}\n`);
        io.out(`${stats.kernelCalls} kernel calls; ${stats.plannedValues} buffers planned in the arena, ${stats.unplannedValues} allocated on their own (graph outputs, views, strings, sequences)\n`);
        io.out(memoryLine(rssBefore, model.graph.initializers.reduce((n, v) => n + v.initializer!.byteLength, 0)) + '\n');
      }
      const dir = args.options.get('output') as string | undefined;
      if (dir) io.out(`wrote ${writeOutputs(dir, outputs).join(', ')}\n`);
    } finally {
      exe.dispose();
    }
    return 0;
  },
};

/** Peak RSS of this process (node's own included) and its growth since the model began loading. */
function memoryLine(rssBefore: number, weightBytes: number): string {
  const peak = process.resourceUsage().maxRSS * 1024;
  const mode = hasLeanNodeFlags() ? `, node ${LEAN_NODE_FLAGS.join(' ')}` : '';
  const mib = (n: number): string => humanBytes(n, 1);
  return `memory: peak RSS ${mib(peak)}, ${mib(peak - rssBefore)} above the ${mib(rssBefore)} before loading the model (weights ${mib(weightBytes)}${mode})`;
}

export function memoryMode(text: string): MemoryMode {
  const mode = MEMORY_MODES.find((m) => m === text);
  if (!mode) throw new ShearsError('E_USAGE', `--memory needs one of ${MEMORY_MODES.join(', ')}, got '${text}'`);
  return mode;
}

function describeValue(v: RuntimeValue): [string, string, string] {
  if (v === null) return ['-', '-', 'empty optional'];
  if (Array.isArray(v)) return ['sequence', `${v.length} tensors`, v.map((t) => formatShape([...t.dims])).join(' ')];
  return [dtypeName(v.dtype), formatShape([...v.dims]), summarize(v)];
}

function summarize(t: Tensor): string {
  if (t.size === 0) return 'empty';
  if (Array.isArray(t.data)) return `first ${JSON.stringify(t.data[0])}`;
  const values = t.toNumbers();
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const x of values) {
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  const f = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(4));
  return `min ${f(min)} max ${f(max)} mean ${f(sum / values.length)}`;
}

export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_') || '_';
}

function writeOutputs(dir: string, outputs: Feeds): string[] {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new ShearsError('E_IO', `cannot create output folder '${dir}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path: dir });
  }
  const written: string[] = [];
  const write = (name: string, t: Tensor): void => {
    const file = path.join(dir, `${safeFileName(name)}.npy`);
    writeFileAtomic(file, [encodeNpy(t)]);
    written.push(file);
  };
  for (const [name, v] of Object.entries(outputs)) {
    if (Array.isArray(v)) v.forEach((t, i) => write(`${name}_${i}`, t));
    else if (v) write(name, v);
  }
  return written;
}

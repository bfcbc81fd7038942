import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EmittedFile } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { ShearsError } from '../error.js';
import type { Graph } from '../ir/graph.js';
import { formatShape } from '../ir/types.js';
import { loadModel } from '../onnx/import.js';
import { writeFileAtomic } from '../onnx/save.js';
import '../backends.js';
import type { Command } from './command.js';
import { requirePositional } from './command.js';
import { humanBytes } from './format.js';
import { applyInputShapes } from './input-shapes.js';
import { MEMORY_OPTION, memoryMode, safeFileName } from './run.js';

export const compileCommand: Command = {
  name: 'compile',
  summary: 'Emit a model as a standalone module (cpu-js: an ES module and a weights file that run with plain Node or in a browser).',
  usage: 'shears compile MODEL.onnx -o DIR [--target cpu-js] [--input-shape NAME=D1,D2,...]... [--name NAME] [--memory fast|lean]',
  description: `
cpu-js writes
  DIR/NAME.js            an ES module: run(inputs), load(), and the inputs/outputs specs
  DIR/NAME.weights.bin   the weights, read on the first run (fs in Node, fetch in a browser)
  DIR/NAME.runtime/      the cpu-js kernels it calls, copied from shears
  DIR/package.json       {"type": "module"}, so that Node loads NAME.js as an ES module
Nothing needs to be installed where it runs:
  import { run, inputs, outputs } from './model.js';
  const { logits } = await run({ input: new Float32Array(64) });  // or { data, dims }
  // logits: { data: Float32Array, dims: [1, 10], dtype: 'float32' }
When every input shape is static, NAME.js is the plan as code: one kernel call per node with its
dims, attributes and arena offsets written out, shape computations done at compile time. Give
symbolic dims values with --input-shape (a whole shape, input=1,3,224,224, or one dim, batch=1);
otherwise, and for models with subgraphs or shapes that depend on the data, NAME.js carries the
graph and plans when it first runs on each input shape (a note says so).
--memory lean makes the module's kernels read the weights where the weights file holds them and keep
no transformed or packed copies (as shears run --memory lean): less memory, some speed lost.
Every op must be supported by the back end; unsupported ops are listed before anything is written.`,
  options: [
    { name: 'output', short: 'o', type: 'string', value: 'DIR', description: 'folder to write the files to (created if missing)' },
    { name: 'target', short: 't', type: 'string', value: 'NAME', description: 'back end to emit for (default cpu-js)' },
    { name: 'backend', short: 'b', type: 'string', value: 'NAME', description: 'same as --target' },
    { name: 'input-shape', type: 'string[]', value: 'NAME=DIMS', description: 'an input\'s shape (input=1,3,224,224) or a symbolic dim\'s size (batch=1)' },
    { name: 'name', type: 'string', default: 'model', value: 'NAME', description: 'base name of the emitted files' },
    MEMORY_OPTION,
  ],
  run(args, io) {
    const [file] = requirePositional(args, 1, 'one model file');
    const dir = args.options.get('output') as string | undefined;
    if (!dir) throw new ShearsError('E_USAGE', 'compile needs --output DIR (-o DIR)');
    const backend = getBackend(chosenTarget(args.options.get('target') as string | undefined, args.options.get('backend') as string | undefined));
    if (!backend.emit) throw new ShearsError('E_USAGE', `back end '${backend.name}' cannot emit standalone code`);
    const name = safeFileName(args.options.get('name') as string);
    const model = loadModel(file);
    applyInputShapes(model.graph, (args.options.get('input-shape') as string[] | undefined) ?? []);
    const notes: string[] = [];
    const files = backend.emit(model, { name, memory: memoryMode(args.options.get('memory') as string), note: (m) => notes.push(m) });
    const written = writeFiles(dir, files);
    io.out(`wrote ${describeWritten(dir, written)} for ${backend.name}\n`);
    for (const n of notes) io.out(`${n}\n`);
    const hint = inputShapeHint(model.graph);
    if (hint) io.out(`note: for a static module with the shapes baked in, give concrete dims: ${hint}\n`);
    return 0;
  },
};

function chosenTarget(target: string | undefined, backend: string | undefined): string {
  if (target && backend && target !== backend) throw new ShearsError('E_USAGE', `--target ${target} and --backend ${backend} disagree (--backend is another name for --target)`);
  return target ?? backend ?? 'cpu-js';
}

/**
 * Writes the files under `dir`; returns those written. A package.json already there is left alone
 * when it makes .js files ES modules, and is a conflict otherwise (checked before writing anything).
 */
function writeFiles(dir: string, files: readonly EmittedFile[]): EmittedFile[] {
  const keep = files.filter((f) => f.path !== 'package.json' || !existingPackage(path.join(dir, f.path)));
  for (const f of keep) {
    const target = path.join(dir, f.path);
    const bytes = typeof f.contents === 'string' ? new TextEncoder().encode(f.contents) : f.contents;
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
    } catch (e) {
      throw new ShearsError('E_IO', `cannot create '${path.dirname(target)}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path: target });
    }
    writeFileAtomic(target, [bytes]);
  }
  return keep;
}

/** True when `file` exists and already says `"type": "module"`; throws when it exists and does not. */
function existingPackage(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  let type: unknown;
  try {
    type = (JSON.parse(fs.readFileSync(file, 'utf8')) as { type?: unknown }).type;
  } catch {
    type = undefined;
  }
  if (type === 'module') return true;
  throw new ShearsError('E_USAGE', `'${file}' exists without "type": "module", which the emitted .js files need in Node; compile into another folder or add that field`, { path: file });
}

function describeWritten(dir: string, files: readonly EmittedFile[]): string {
  const size = (f: EmittedFile): number => (typeof f.contents === 'string' ? Buffer.byteLength(f.contents) : f.contents.length);
  const top = files.filter((f) => !f.path.includes('/'));
  const folders = new Map<string, EmittedFile[]>();
  for (const f of files.filter((f) => f.path.includes('/'))) {
    const folder = f.path.slice(0, f.path.indexOf('/'));
    folders.set(folder, [...(folders.get(folder) ?? []), f]);
  }
  const parts = top.map((f) => `${path.join(dir, f.path)} (${humanBytes(size(f))})`);
  for (const [folder, inside] of folders) parts.push(`${path.join(dir, folder)}/ (${inside.length} files, ${humanBytes(inside.reduce((n, f) => n + size(f), 0))})`);
  return parts.join(', ');
}

/** `--input-shape` values that would make every input static (symbolic dims as 1), or null when they are. */
function inputShapeHint(graph: Graph): string | null {
  const open = graph.inputs.filter((v) => !v.initializer && v.type?.kind === 'tensor' && v.type.shape?.some((d) => typeof d !== 'number'));
  if (open.length === 0) return null;
  return open
    .map((v) => {
      const shape = v.type?.kind === 'tensor' ? v.type.shape! : [];
      return `--input-shape ${v.name}=${shape.map((d) => (typeof d === 'number' ? d : 1)).join(',')} (shape ${formatShape(shape)})`;
    })
    .join(' ');
}

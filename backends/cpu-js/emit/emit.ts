/**
 * `cpuJsBackend.emit`: a standalone ES module, its weights and the cpu-js runtime it runs on.
 *
 *   <name>.js            the module: `run(inputs)`, `load()`, the `inputs`/`outputs` specs
 *   <name>.weights.bin   the constants it needs, raw little-endian
 *   <name>.runtime/      the compiled cpu-js kernels it uses and their helpers, copied from shears
 *   package.json         `{"type": "module"}`, so that Node reads the .js files as ES modules
 *
 * When every input shape is static the module is the plan as code (static-source.ts): kernels
 * created for literal dims, buffers at literal arena offsets, shape computations folded. Otherwise
 * (symbolic dims, subgraphs, data-dependent shapes) it carries the graph and the executor plans when
 * it runs (dynamic-source.ts); `note` says which, and why.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkMemoryMode, EmitOptions, EmittedFile } from '../../../src/backend/backend.js';
import { checkSupported } from '../../../src/backend/check.js';
import { ShearsError } from '../../../src/error.js';
import type { Model } from '../../../src/ir/model.js';
import { kernelSupports } from '../create-kernel.js';
import '../kernels/index.js';
import { dynamicModule } from './dynamic-source.js';
import { kernelFiles } from './kernel-files.js';
import { runtimeFiles } from './runtime-files.js';
import { planStatically } from './static-plan.js';
import { EmittedModule, staticModule } from './static-source.js';

const STATIC_ENTRY = 'backends/cpu-js/emit/runtime.js';
const DYNAMIC_ENTRY = 'backends/cpu-js/emit/load.js';
/** Every kernel: for a static module when the files its nodes need cannot be told apart. */
const ALL_KERNELS = 'backends/cpu-js/kernels/index.js';

export interface CpuJsEmitOptions extends EmitOptions {
  /** Folder of compiled shears (holding backends/ and src/ as .js); default: this installation's. */
  runtimeDir?: string;
}

export function emitModule(model: Model, options: CpuJsEmitOptions = {}): EmittedFile[] {
  checkSupported(model.graph, 'cpu-js', kernelSupports);
  const name = options.name ?? 'model';
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name)) throw new ShearsError('E_USAGE', `'${name}' cannot name the emitted files: use letters, digits, '.', '_' and '-'`);
  const runtime = `${name}.runtime`;
  const { dir, sources } = options.runtimeDir ? { dir: options.runtimeDir, sources: undefined } : installedRuntime();
  checkMemoryMode(options.memory);
  const memory = options.memory ?? 'fast';
  const plan = planStatically(model.graph, memory);
  let module: EmittedModule;
  let entries: string[];
  if (typeof plan === 'string') {
    module = dynamicModule(model, name, runtime, plan, memory);
    entries = [DYNAMIC_ENTRY];
  } else {
    const kernels = kernelFiles(dir, plan.steps.map(({ spec }) => ({ domain: spec.domain ?? '', opType: spec.op, opset: spec.opset }))) ?? [ALL_KERNELS];
    module = staticModule(plan, name, runtime, kernels, memory);
    entries = [STATIC_ENTRY, ...kernels];
  }
  options.note?.(module.summary);
  const runtimeCopy = runtimeFiles(dir, entries, sources);
  return [
    { path: `${name}.js`, contents: module.source },
    { path: `${name}.weights.bin`, contents: module.weights },
    { path: 'package.json', contents: MODULE_PACKAGE },
    ...runtimeCopy.map((f) => ({ path: `${runtime}/${f.path}`, contents: f.contents })),
    { path: `${runtime}/package.json`, contents: MODULE_PACKAGE },
  ];
}

/** Marks the folder's .js files as ES modules for Node (browsers go by the script tag instead). */
export const MODULE_PACKAGE = '{ "type": "module" }\n';

/** This installation's compiled runtime; from the TypeScript sources (tests), the build in dist/, checked against them. */
function installedRuntime(): { dir: string; sources?: string } {
  const here = fileURLToPath(import.meta.url);
  const root = path.resolve(path.dirname(here), '../../..');
  return here.endsWith('.ts') ? { dir: path.join(root, 'dist'), sources: root } : { dir: root };
}

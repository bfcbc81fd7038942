import * as fs from 'node:fs';
import * as path from 'node:path';
import { getBackend } from '../backend/registry.js';
import { ShearsError } from '../error.js';
import { loadModel } from '../onnx/import.js';
import { writeFileAtomic } from '../onnx/save.js';
import '../backends.js';
import type { Command } from './command.js';
import { requirePositional } from './command.js';
import { humanBytes } from './format.js';
import { safeFileName } from './run.js';

export const compileCommand: Command = {
  name: 'compile',
  summary: 'Emit a model as a standalone module for a back end (cpu-js: an ES module, a weights file and its runtime).',
  usage: 'shears compile MODEL.onnx --output DIR [--backend cpu-js] [--name NAME]',
  description: `
cpu-js writes DIR/NAME.mjs (the graph and a load() function), DIR/NAME.weights.bin (all weights)
and DIR/NAME.runtime/ (the kernels and executor it runs on). The module needs nothing else:
  import { load } from './NAME.mjs';
  const model = await load();
  const outputs = await model.run({ input: { dims: [1, 3, 224, 224], data: float32Array } });
Every op must be supported by the back end; unsupported ops are listed before anything is written.`,
  options: [
    { name: 'output', short: 'o', type: 'string', value: 'DIR', description: 'folder to write the files to (created if missing)' },
    { name: 'backend', short: 'b', type: 'string', default: 'cpu-js', value: 'NAME', description: 'back end to emit for' },
    { name: 'name', type: 'string', value: 'NAME', description: 'base name of the emitted files (default: the model file name)' },
  ],
  run(args, io) {
    const [file] = requirePositional(args, 1, 'one model file');
    const dir = args.options.get('output') as string | undefined;
    if (!dir) throw new ShearsError('E_USAGE', 'compile needs --output DIR');
    const backend = getBackend(args.options.get('backend') as string);
    if (!backend.emit) throw new ShearsError('E_USAGE', `back end '${backend.name}' cannot emit standalone code`);
    const name = safeFileName((args.options.get('name') as string | undefined) ?? path.basename(file).replace(/\.onnx$/i, ''));
    const files = backend.emit(loadModel(file), { name });
    let total = 0;
    for (const f of files) {
      const target = path.join(dir, f.path);
      const bytes = typeof f.contents === 'string' ? new TextEncoder().encode(f.contents) : f.contents;
      try {
        fs.mkdirSync(path.dirname(target), { recursive: true });
      } catch (e) {
        throw new ShearsError('E_IO', `cannot create '${path.dirname(target)}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path: target });
      }
      writeFileAtomic(target, [bytes]);
      total += bytes.length;
    }
    const top = files.filter((f) => !f.path.includes('/')).map((f) => path.join(dir, f.path));
    const runtime = files.length - top.length;
    io.out(`wrote ${top.join(', ')}${runtime ? ` and ${runtime} runtime files` : ''} (${humanBytes(total)}) for ${backend.name}\n`);
    return 0;
  },
};

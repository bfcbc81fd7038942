/**
 * Run by cpu-js-memory.ts in a fresh process: peak memory of loading a model, compiling it for
 * cpu-js and running it twice (the recording run, then the planned one). Prints one JSON line.
 * With a warm-up model, that one is loaded, compiled, run and dropped first, so that the baseline
 * includes what running any model costs node once (V8's grown young generation, compiled kernels).
 * Needs --expose-gc so that the baseline is not inflated by garbage.
 */
import * as fs from 'node:fs';
import { compileGraph } from '../../backends/cpu-js/compile.js';
import type { CompileOptions } from '../../src/backend/backend.js';
import { loadModel } from '../../src/onnx/import.js';
import { randomInputs } from '../helpers/diff.js';

const [file, threadsArg, memory, warmUpFile] = process.argv.slice(2);
const options: CompileOptions = { threads: Number(threadsArg), memory: memory as CompileOptions['memory'] };
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function statusBytes(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

if (warmUpFile) {
  const small = loadModel(warmUpFile);
  const exe = compileGraph(small.graph, options);
  for (let run = 0; run < 2; run++) await exe.run(randomInputs(small));
  exe.dispose();
}
gc();
const baseline = statusBytes('VmRSS');
// Writing 5 to clear_refs resets VmHWM to the current RSS, so VmHWM is then the peak of what follows.
fs.writeFileSync('/proc/self/clear_refs', '5');
const model = loadModel(file);
for (const v of model.graph.initializers) void v.initializer!.data;
const afterLoad = statusBytes('VmRSS');
let weightBytes = 0;
for (const v of model.graph.initializers) weightBytes += v.initializer!.byteLength;
const feeds = randomInputs(model);
const exe = compileGraph(model.graph, options);
gc();
const afterCompile = statusBytes('VmRSS');
for (let run = 0; run < 2; run++) await exe.run(feeds);
const peak = statusBytes('VmHWM');
const arenaBytes = exe.stats()!.peakActivationBytes;
exe.dispose();
console.log(JSON.stringify({ fileBytes: fs.statSync(file).size, weightBytes, baseline, afterLoad, afterCompile, peak, arenaBytes }));

/**
 * Run by prune-magnitude.ts in a fresh process (needs --expose-gc): prune one model to a global
 * sparsity and print one JSON line with the time, the memory it took beyond the loaded weights,
 * and how many elements went through any Array/TypedArray sort. With `sort` as the third argument
 * it times the obvious peer instead: copy every |w| into one Float32Array and sort it.
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { PRUNE_DEFAULTS, pruneMagnitude } from '../../passes/prune-magnitude/prune.js';
import { findPrunableWeights } from '../../passes/prune-magnitude/prunable.js';
import { loadModel } from '../../src/onnx/import.js';

const [file, sparsityText, mode] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function statusKb(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Count the elements every sort call sees, so that the report can show that none sorts the weights. */
let sortedElements = 0;
for (const proto of [Array.prototype, Object.getPrototypeOf(Int8Array.prototype)]) {
  const sort = proto.sort;
  proto.sort = function (this: { length: number }, ...args: unknown[]) {
    sortedElements += this.length;
    return sort.apply(this, args);
  };
}

const model = loadModel(file);
const weights = findPrunableWeights(model).weights;
let weightBytes = 0;
for (const w of weights) {
  void w.tensor.data;
  weightBytes += w.tensor.byteLength;
}
gc();
const baseline = process.memoryUsage().rss;
fs.writeFileSync('/proc/self/clear_refs', '5');
if (mode === 'sort') {
  const start = performance.now();
  const all = new Float32Array(weights.reduce((n, w) => n + w.tensor.size, 0));
  let at = 0;
  for (const w of weights) for (const v of w.tensor.data as Float32Array) all[at++] = Math.abs(v);
  all.sort();
  const threshold = all[Math.round(Number(sparsityText) * all.length) - 1];
  console.log(JSON.stringify({ ms: performance.now() - start, peak: statusKb('VmHWM'), baseline, weightBytes, threshold }));
  process.exit(0);
}
const start = performance.now();
const cpuStart = process.cpuUsage();
const report = pruneMagnitude(model, { ...PRUNE_DEFAULTS, sparsity: Number(sparsityText), scope: 'global', minParams: 0 });
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
const peak = statusKb('VmHWM');
const params = report.layers.reduce((n, l) => n + l.params, 0);
const zeros = report.layers.reduce((n, l) => n + l.zerosAfter, 0);
console.log(JSON.stringify({ ms, cpuMs, baseline, peak, weightBytes, params, zeros, tensors: report.layers.length, sortedElements }));

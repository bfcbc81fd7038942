/**
 * Run by import-export.ts in a fresh process: how much memory importing one model takes.
 * Prints one JSON line. Needs --expose-gc so that the baseline is not inflated by garbage.
 */
import * as fs from 'node:fs';
import { loadModel } from '../../src/onnx/import.js';

const file = process.argv[2];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function statusKb(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0), so VmHWM then is the peak of what follows. */
function resetPeak(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

gc();
const baseline = process.memoryUsage().rss;
const peakReset = resetPeak();
const model = loadModel(file);
const afterImport = process.memoryUsage().rss;
const importPeak = statusKb('VmHWM');
gc();
const afterImportGc = process.memoryUsage().rss;

// Reading every weight as typed data: aligned raw bytes stay views, misaligned ones are copied.
for (const g of model.graph.allGraphs()) for (const v of g.initializers) void v.initializer!.data;
const touchPeak = statusKb('VmHWM');

console.log(JSON.stringify({ fileSize: fs.statSync(file).size, baseline, peakReset, importPeak, afterImport, afterImportGc, touchPeak }));

/**
 * Target (issue): import + export of the 45 MB ResNet-18 export takes less than 3× the time of
 * fs.readFileSync + fs.writeFileSync of the same bytes, and import does not copy weight bytes
 * (peak RSS during import under file size + 60 MB).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeModel } from '../../src/onnx/export.js';
import { loadModel } from '../../src/onnx/import.js';
import { saveModel, writeFileAtomic } from '../../src/onnx/save.js';
import { Bench, Table, mb, median, ms, timeRuns, withTempDir } from './bench.js';

const RUNS = 9;
const RATIO_TARGET = 3;
const RSS_SLACK = 60 * 2 ** 20;
const CACHE = 'test/fixtures/.cache';
const FIXTURE = path.join(CACHE, 'resnet18.onnx');

function fixture(): string {
  if (!fs.existsSync(FIXTURE)) {
    const r = spawnSync('/usr/bin/python3', ['test/fixtures/build-torchvision.py', CACHE, 'resnet18'], { stdio: 'inherit' });
    if (r.status !== 0 || !fs.existsSync(FIXTURE)) throw new Error(`could not build ${FIXTURE} (needs /usr/bin/python3 with torch, torchvision, onnx)`);
  }
  return FIXTURE;
}

async function timing(file: string): Promise<Table> {
  return withTempDir(async (dir) => {
    const out = path.join(dir, 'out.onnx');
    const model = loadModel(file);
    const bytes = fs.readFileSync(file);
    const rows: [string, number[]][] = [
      ['fs.readFileSync + fs.writeFileSync (baseline)', await timeRuns(RUNS, () => fs.writeFileSync(out, fs.readFileSync(file)))],
      ['loadModel + saveModel', await timeRuns(RUNS, () => saveModel(loadModel(file), out))],
      ['  loadModel', await timeRuns(RUNS, () => loadModel(file))],
      ['  encodeModel', await timeRuns(RUNS, () => encodeModel(model))],
      ['  saveModel (encode + write, fsync, rename)', await timeRuns(RUNS, () => saveModel(model, out))],
      ['  writeFileAtomic of the bytes alone', await timeRuns(RUNS, () => writeFileAtomic(out, [bytes]))],
    ];
    const base = median(rows[0][1]);
    const ratio = median(rows[1][1]) / base;
    return {
      title: `import + export of ${path.basename(file)} (${mb(fs.statSync(file).size)}), median of ${RUNS} runs after one warm-up`,
      columns: ['what', 'median', 'min', 'max', '× baseline'],
      rows: rows.map(([what, t]) => [what, ms(median(t)), ms(Math.min(...t)), ms(Math.max(...t)), (median(t) / base).toFixed(2)]),
      notes: [
        `ratio (loadModel + saveModel) / (readFileSync + writeFileSync) = ${ratio.toFixed(2)}× — target < ${RATIO_TARGET}×: ${ratio < RATIO_TARGET ? 'MET' : 'MISSED'}`,
        'saveModel writes a temp file, fsyncs it and renames it; the baseline writeFileSync does not fsync (the writeFileAtomic row shows that cost alone).',
      ],
    };
  });
}

interface RssReport {
  fileSize: number;
  baseline: number;
  peakReset: boolean;
  importPeak: number;
  afterImport: number;
  afterImportGc: number;
  touchPeak: number;
}

function memory(file: string): Table {
  const child = fileURLToPath(new URL('./import-rss-child.js', import.meta.url));
  const r = spawnSync(process.execPath, ['--expose-gc', child, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`RSS child failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as RssReport;
  const growth = m.importPeak - m.baseline;
  const limit = m.fileSize + RSS_SLACK;
  return {
    title: `memory of loadModel(${path.basename(file)}) in a fresh node process`,
    columns: ['measure', 'value'],
    rows: [
      ['file size', mb(m.fileSize)],
      ['RSS before import (after gc)', mb(m.baseline)],
      [`peak RSS during import (VmHWM${m.peakReset ? ', reset before import' : ', NOT resettable: includes startup'})`, mb(m.importPeak)],
      ['RSS sampled right after import', mb(m.afterImport)],
      ['RSS after import and gc', mb(m.afterImportGc)],
      ['peak − baseline', mb(growth)],
      ['peak RSS after reading every weight as typed data', mb(m.touchPeak)],
    ],
    notes: [
      `peak − baseline = ${mb(growth)} vs file size + 60 MB = ${mb(limit)}: ${growth < limit ? 'MET' : 'MISSED'}`,
      'The file bytes themselves (one readFileSync Buffer) are part of the peak; weights stay views on them.',
      'Reading typed data copies only weights whose raw_data is not aligned to the element size (last row).',
    ],
  };
}

export const importExport: Bench = {
  name: 'import-export',
  async run() {
    const file = fixture();
    return [await timing(file), memory(file)];
  },
};

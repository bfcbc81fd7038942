/**
 * Exactness, validity and storage of pruned models as files: zeros counted by python `onnx` in the
 * exported file (an independent reader), models run by onnxruntime-node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRUNE_DEFAULTS, pruneMagnitude, PruneOptions, PruneReport } from '../../passes/prune-magnitude/prune.js';
import { DType } from '../../src/ir/dtype.js';
import type { Model } from '../../src/ir/model.js';
import { summarizeModel } from '../../src/ir/summary.js';
import { Tensor } from '../../src/ir/tensor.js';
import { decodeTensor, loadModel } from '../../src/onnx/import.js';
import { saveModel } from '../../src/onnx/save.js';
import { SparseIndexType, storeSparse } from '../../src/onnx/sparse-storage.js';
import { tempDir } from '../helpers/build-model.js';
import { outputDifference, runOrt } from '../helpers/ort.js';
import { seededRandom } from '../../src/util/random.js';
import { countZerosWithPython, torchvisionFixture } from './prune-magnitude-helpers.js';

const dir = tempDir('shears-prune-files-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Pruned {
  report: PruneReport;
  dense: string;
  sparse?: string;
}

/** Prune a fresh copy of `file`, save it dense and (when asked) with sparse storage. */
function pruneToFiles(file: string, tag: string, options: Partial<PruneOptions>, indexType?: SparseIndexType): Pruned {
  const model = loadModel(file);
  const report = pruneMagnitude(model, { ...PRUNE_DEFAULTS, ...options });
  const dense = path.join(dir, `${tag}.onnx`);
  saveModel(model, dense);
  if (!indexType) return { report, dense };
  storeSparse(model, indexType);
  const sparse = path.join(dir, `${tag}-sparse.onnx`);
  saveModel(model, sparse);
  return { report, dense, sparse };
}

function randomInput(dims: number[], seed: number): Tensor {
  const next = seededRandom(seed);
  return Tensor.fromNumbers(DType.FLOAT, dims, Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => next() * 2 - 1), 'input');
}

/** Zeros python counts in the file, over the weights the report says were pruned. */
function zerosInFile(counts: ReturnType<typeof countZerosWithPython>, report: PruneReport): { perTensor: [string, number, number][]; total: number } {
  const perTensor = report.layers.map((l) => [l.name, counts[l.name].zeros, counts[l.name].size] as [string, number, number]);
  return { perTensor, total: perTensor.reduce((n, [, z]) => n + z, 0) };
}

describe('digits-cnn (bundled)', () => {
  const digits = 'models/digits-cnn.onnx';
  const input = { input: loadTensor('models/digits-test-input.pb') };

  it('layer scope: every weight in the file has exactly round(s * size) zeros, and onnxruntime runs it', async () => {
    const p = pruneToFiles(digits, 'digits-layer', { sparsity: 0.7, minParams: 0 });
    const counts = countZerosWithPython(p.dense);
    const { perTensor } = zerosInFile(counts, p.report);
    expect(perTensor.map(([name]) => name)).toEqual(['conv1.weight', 'conv2.weight', 'conv3.weight', 'fc1.weight', 'fc2.weight']);
    for (const [, zeros, size] of perTensor) expect(zeros).toBe(Math.round(0.7 * size));
    const out = await runOrt(p.dense, input);
    expect(out.logits.dims).toEqual([450, 10]);
  });

  it('global scope with sparse storage: total zeros exact, outputs equal the dense pruned model, inspect sees the sparsity', async () => {
    const p = pruneToFiles(digits, 'digits-global', { sparsity: 0.9, scope: 'global', minParams: 0 }, 'auto');
    const counts = countZerosWithPython(p.sparse!);
    const { total } = zerosInFile(counts, p.report);
    const params = p.report.layers.reduce((n, l) => n + l.params, 0);
    expect(total).toBe(Math.round(0.9 * params));
    expect(Object.values(counts).filter((c) => c.storage === 'sparse').map((c) => c.indexType)).toEqual(['int16', 'int16', 'int16', 'int16']);
    expect(counts['conv1.weight'].storage).toBe('dense');
    expect(outputDifference(await runOrt(p.dense, input), await runOrt(p.sparse!, input))).toBeUndefined();
    const inspected = summarizeModel(loadModel(p.sparse!)).initializers;
    for (const l of p.report.layers) {
      const w = inspected.find((i) => i.name === l.name)!;
      expect([w.source, w.zeros]).toEqual([counts[l.name].storage === 'sparse' ? 'sparse_initializer' : 'initializer', counts[l.name].zeros]);
    }
  });

  it.each(['int16', 'int32', 'int64'] as const)('onnxruntime reads %s flat indices with the same outputs as the dense file', async (indexType) => {
    const model = loadModel(digits);
    pruneMagnitude(model, { ...PRUNE_DEFAULTS, sparsity: 0.8, scope: 'global', minParams: 0 });
    const dense = await runOrt(saveTo(model, `digits-${indexType}-dense`), input);
    storeSparse(model, indexType);
    const file = saveTo(model, `digits-${indexType}`);
    const counts = countZerosWithPython(file, indexType === 'int64');
    const types = Object.values(counts).filter((c) => c.storage === 'sparse').map((c) => c.indexType);
    expect(types.length).toBeGreaterThanOrEqual(2);
    expect(types.every((t) => t === indexType)).toBe(true);
    expect(outputDifference(dense, await runOrt(file, input))).toBeUndefined();
  });
});

describe('ResNet-18 (torchvision fixture)', () => {
  const file = torchvisionFixture('resnet18');
  const image = { input: randomInput([1, 3, 224, 224], 5) };

  it.skipIf(!file)('layer scope 80%: each weight exactly round(0.8 * size) zeros in the file', () => {
    const p = pruneToFiles(file!, 'r18-layer', { sparsity: 0.8 });
    const { perTensor } = zerosInFile(countZerosWithPython(p.dense), p.report);
    expect(perTensor.length).toBe(21);
    for (const [, zeros, size] of perTensor) expect(zeros).toBe(Math.round(0.8 * size));
  });

  it.skipIf(!file)('global 90% with sparse storage: exact total, file <= 25% of the dense pruned file, same outputs in onnxruntime', async () => {
    const p = pruneToFiles(file!, 'r18-global', { sparsity: 0.9, scope: 'global' }, 'auto');
    const counts = countZerosWithPython(p.sparse!);
    const { total } = zerosInFile(counts, p.report);
    const params = p.report.layers.reduce((n, l) => n + l.params, 0);
    expect(total).toBe(Math.round(0.9 * params));
    const denseBytes = fs.statSync(p.dense).size;
    const sparseBytes = fs.statSync(p.sparse!).size;
    const types = Object.values(counts).filter((c) => c.storage === 'sparse').map((c) => c.indexType!);
    console.log(
      `ResNet-18, 90% global: dense ${denseBytes} B, sparse storage ${sparseBytes} B = ${((100 * sparseBytes) / denseBytes).toFixed(1)}% ` +
        `(index types: ${[...new Set(types)].map((t) => `${t} x${types.filter((x) => x === t).length}`).join(', ')})`,
    );
    expect(sparseBytes).toBeLessThanOrEqual(0.25 * denseBytes);
    expect(outputDifference(await runOrt(p.dense, image), await runOrt(p.sparse!, image))).toBeUndefined();
    const wide = loadModel(p.dense);
    storeSparse(wide, 'int64');
    const wideBytes = fs.statSync(saveTo(wide, 'r18-global-int64')).size;
    console.log(`ResNet-18, 90% global with --sparse-index-type int64: ${wideBytes} B = ${((100 * wideBytes) / denseBytes).toFixed(1)}% of dense`);
  });

  it.skipIf(!file)('at 50% per layer, no tensor that needs int32 indices is stored sparse (it would be larger)', () => {
    const p = pruneToFiles(file!, 'r18-half', { sparsity: 0.5 }, 'auto');
    const counts = countZerosWithPython(p.sparse!);
    const sparse = Object.entries(counts).filter(([, c]) => c.storage === 'sparse');
    expect(sparse.every(([, c]) => c.size <= 32768 && c.indexType === 'int16')).toBe(true);
    const big = p.report.layers.filter((l) => l.params > 32768);
    expect(big.length).toBeGreaterThan(15);
    for (const l of big) expect(counts[l.name].storage).toBe('dense');
    expect(fs.statSync(p.sparse!).size).toBeLessThanOrEqual(fs.statSync(p.dense).size);
  });
});

function loadTensor(file: string): Tensor {
  return decodeTensor(fs.readFileSync(file));
}

function saveTo(model: Model, tag: string): string {
  const file = path.join(dir, `${tag}.onnx`);
  saveModel(model, file);
  return file;
}

describe('transformer encoder (torchvision-style fixture): weights behind Transpose', () => {
  const file = torchvisionFixture('transformer');

  it.skipIf(!file)('prunes the MatMul weights reached through Transpose and the Gemm weights exactly; onnxruntime runs it', async () => {
    const p = pruneToFiles(file!, 'transformer', { sparsity: 0.6, minParams: 0 });
    expect(p.report.layers.length).toBe(8);
    const { perTensor } = zerosInFile(countZerosWithPython(p.dense, true), p.report);
    for (const [, zeros, size] of perTensor) expect(zeros).toBe(Math.round(0.6 * size));
    const out = await runOrt(p.dense, { input: randomInput([2, 16, 64], 3) });
    expect(Object.values(out)[0].dims).toEqual([2, 16, 64]);
  });
});

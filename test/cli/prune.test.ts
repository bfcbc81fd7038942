/**
 * `shears prune`: the report's measurements against onnxruntime, accuracy of the bundled digits
 * model at several sparsities, byte identity at sparsity 0, and the CLI's handling of bad input.
 * CLI runs need the build (`npm test` builds first).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import type { ModelRunner } from '../../src/cli/model-runner.js';
import { prune, pruneCommand, PruneSummary } from '../../src/cli/prune.js';
import { DType } from '../../src/ir/dtype.js';
import { Model } from '../../src/ir/model.js';
import { Tensor } from '../../src/ir/tensor.js';
import { tensorType } from '../../src/ir/types.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeTensor, loadModel } from '../../src/onnx/import.js';
import { saveModel } from '../../src/onnx/save.js';
import { encodeNpy } from '../../src/io/npy.js';
import { runPipeline } from '../../src/pass/manager.js';
import { tempDir } from '../helpers/build-model.js';
import { runOrt } from '../helpers/ort.js';
import { matmulChain } from '../passes/prune-magnitude-helpers.js';
import { runCli } from './run-cli.js';

const DIGITS = 'models/digits-cnn.onnx';
const TEST_INPUT = 'models/digits-test-input.pb';
const TEST_LABELS = 'models/digits-test-labels.pb';

const ortRunner: ModelRunner = async (model, inputs) => ({ outputs: await runOrt(encodeModel(model).bytes, { ...inputs }), latencyMs: null });
const quiet = { out: () => {}, err: () => {} };

let dir: string;
beforeAll(() => {
  dir = tempDir('shears-prune-cli-');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function pruneWith(argv: string[], runner: ModelRunner = ortRunner): Promise<PruneSummary> {
  return (await prune(parseArgs(argv, pruneCommand.options), runner, quiet)).summary;
}

/** Independent of src/report: argmax per row of [N, C] logits against the labels. */
function accuracyOf(logits: Tensor, labels: Tensor): number {
  const [n, c] = logits.dims;
  const v = logits.data as Float32Array;
  const y = labels.toNumbers();
  let right = 0;
  for (let r = 0; r < n; r++) {
    const row = Array.from(v.subarray(r * c, r * c + c));
    if (row.indexOf(Math.max(...row)) === y[r]) right++;
  }
  return right / n;
}

describe('shears prune on the bundled digits model with its test split', () => {
  const input = { input: decodeTensor(fs.readFileSync(TEST_INPUT)) };
  const labels = decodeTensor(fs.readFileSync(TEST_LABELS));

  it('reports test accuracy before and after one-shot global pruning at 50/80/90/95%', async () => {
    const rows: string[] = [];
    for (const sparsity of [0.5, 0.8, 0.9, 0.95]) {
      const out = path.join(dir, `digits-${sparsity}.onnx`);
      const s = await pruneWith([DIGITS, '-o', out, '--sparsity', String(sparsity), '--scope', 'global', '--data', TEST_INPUT, '--labels', TEST_LABELS]);
      // The accuracy of the unpruned model is the model card's (computed with torch): 447 of 450.
      expect(s.accuracy!.before).toBe(447 / 450);
      const pruned = await runOrt(out, input);
      expect(s.accuracy!.after).toBe(accuracyOf(pruned.logits, labels));
      rows.push(`${(sparsity * 100).toFixed(0)}%: ${(s.accuracy!.after * 100).toFixed(2)}% (weight sparsity ${(100 * (1 - s.nonzeros.after / s.params.after)).toFixed(2)}%)`);
      if (sparsity === 0.5) expect(s.accuracy!.after).toBeGreaterThan(0.97);
    }
    console.log(`digits-cnn test accuracy, unpruned 99.33%, one-shot global magnitude pruning (min-params 1024):\n  ${rows.join('\n  ')}`);
  });

  it("reports the output deviation that onnxruntime's outputs give", async () => {
    const out = path.join(dir, 'digits-dev.onnx');
    const s = await pruneWith([DIGITS, '-o', out, '--sparsity', '0.8', '--data', TEST_INPUT]);
    const a = (await runOrt(DIGITS, input)).logits.data as Float32Array;
    const b = (await runOrt(out, input)).logits.data as Float32Array;
    const top1 = (v: Float32Array, r: number) => {
      const row = Array.from(v.subarray(r * 10, r * 10 + 10));
      return row.indexOf(Math.max(...row));
    };
    let agree = 0;
    for (let r = 0; r < 450; r++) if (top1(a, r) === top1(b, r)) agree++;
    let max = 0;
    let dot = 0;
    let na = 0;
    let nb = 0;
    a.forEach((x, i) => {
      max = Math.max(max, Math.abs(x - b[i]));
      dot += x * b[i];
      na += x * x;
      nb += b[i] * b[i];
    });
    const [d] = s.deviation;
    expect(d.output).toBe('logits');
    expect(d.maxAbsDiff).toBeCloseTo(max, 5);
    expect(d.cosine).toBeCloseTo(dot / Math.sqrt(na * nb), 9);
    expect(d.top1Agreement).toBe(agree / 450);
    expect(s.measuredOn).toBe(TEST_INPUT);
  });

  it('reads samples and labels from .npy files in a folder as from .pb files', async () => {
    const npy = path.join(dir, 'npy');
    fs.mkdirSync(npy);
    fs.writeFileSync(path.join(npy, 'input.npy'), encodeNpy(input.input));
    fs.writeFileSync(path.join(dir, 'labels.npy'), encodeNpy(labels));
    const out = path.join(dir, 'digits-npy.onnx');
    const viaNpy = await pruneWith([DIGITS, '-o', out, '--sparsity', '0.9', '--scope', 'global', '--data', npy, '--labels', path.join(dir, 'labels.npy')]);
    const viaPb = await pruneWith([DIGITS, '-o', out, '--sparsity', '0.9', '--scope', 'global', '--data', TEST_INPUT, '--labels', TEST_LABELS]);
    expect(viaNpy.accuracy).toEqual(viaPb.accuracy);
    expect(viaNpy.deviation).toEqual(viaPb.deviation);
  });

  it('counts params, nonzeros and file sizes', async () => {
    const out = path.join(dir, 'digits-sizes.onnx');
    const s = await pruneWith([DIGITS, '-o', out, '--sparsity', '0.9', '--scope', 'global', '--sparse-storage', '--no-measure']);
    expect(s.params).toEqual({ before: 47850, after: 47850 });
    expect(s.nonzeros.before).toBe(47850);
    const pruned = 4608 + 9216 + 32768;
    expect(s.nonzeros.after).toBe(47850 - Math.round(0.9 * pruned));
    expect(s.fileBytes).toEqual({ before: fs.statSync(DIGITS).size, after: fs.statSync(out).size });
    expect(s.fileBytes.after).toBeLessThan(0.25 * s.fileBytes.before);
    expect(s.sparseStorage!.converted.map((c) => c.indexType)).toEqual(['int16', 'int16', 'int16']);
    expect(s.notMeasured).toMatch(/--no-measure/);
  });
});

describe('shears prune measures with cpu-js', () => {
  it('gives the deviation onnxruntime gives, on seeded random inputs', async () => {
    const file = path.join(dir, 'chain.onnx');
    saveModel(matmulChain([64, 48, 10], 3), file);
    const out = path.join(dir, 'chain-pruned.onnx');
    const s = await pruneWith([file, '-o', out, '--sparsity', '0.7', '--min-params', '0', '--seed', '4'], (await import('../../src/cli/model-runner.js')).cpuJsRunner);
    const viaOrt = await pruneWith([file, '-o', path.join(dir, 'chain-ort.onnx'), '--sparsity', '0.7', '--min-params', '0', '--seed', '4']);
    expect(s.measuredOn).toBe('random inputs (seed 4)');
    expect(s.deviation[0].maxAbsDiff).toBeCloseTo(viaOrt.deviation[0].maxAbsDiff, 4);
    expect(s.deviation[0].cosine).toBeCloseTo(viaOrt.deviation[0].cosine, 6);
  });
});

describe('shears prune with cpu-js on the digits model (CLI)', () => {
  it('reports the accuracy that onnxruntime gives for the pruned file', async () => {
    const out = path.join(dir, 'digits-cpu.onnx');
    const r = runCli(['prune', DIGITS, '-o', out, '--sparsity', '0.8', '--scope', 'global', '--data', TEST_INPUT, '--labels', TEST_LABELS, '--json']);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as PruneSummary;
    const labels = decodeTensor(fs.readFileSync(TEST_LABELS));
    const input = { input: decodeTensor(fs.readFileSync(TEST_INPUT)) };
    expect(s.accuracy!.before).toBe(447 / 450);
    // Float sums in another order may flip a near-tie: allow two of the 450 samples.
    expect(Math.abs(s.accuracy!.after - accuracyOf((await runOrt(out, input)).logits, labels))).toBeLessThanOrEqual(2 / 450);
  });
});

describe('shears prune: sparsity 0', () => {
  it('writes the same bytes as a dce pipeline without pruning', async () => {
    const out = path.join(dir, 'digits-zero.onnx');
    await pruneWith([DIGITS, '-o', out, '--sparsity', '0', '--no-measure']);
    const model = loadModel(DIGITS);
    runPipeline(model, 'dce', { reproducer: false });
    expect(Buffer.from(fs.readFileSync(out)).equals(Buffer.from(encodeModel(model).bytes))).toBe(true);
  });

  const optimizeAvailable = fs.existsSync('dist/src/cli/main.js') && runCli(['optimize', '--help']).status === 0;
  it.skipIf(!optimizeAvailable)('writes the same bytes as `shears optimize --passes dce`', () => {
    const a = path.join(dir, 'zero-prune.onnx');
    const b = path.join(dir, 'zero-optimize.onnx');
    expect(runCli(['prune', DIGITS, '-o', a, '--sparsity', '0', '--no-measure']).status).toBe(0);
    expect(runCli(['optimize', DIGITS, '-o', b, '--passes', 'dce']).status).toBe(0);
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
  });
});

describe('shears prune: bad input (CLI)', () => {
  it.each([
    [['--sparsity', '1'], 'E_PIPELINE', /sparsity must be at least 0 and below 1/],
    [['--sparsity', '-0.5'], 'E_PIPELINE', /sparsity/],
    [['--sparsity', '0.5', '--scope', 'everywhere'], 'E_PIPELINE', /scope/],
    [[], 'E_USAGE', /say how to prune: .*--sparsity S/],
  ])('%j exits 2 with %s', (extra, code, message) => {
    const r = runCli(['prune', DIGITS, '-o', path.join(dir, 'bad.onnx'), '--no-measure', ...extra]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`[${code}]`);
    expect(r.stderr).toMatch(message);
  });

  it('never writes over its input', () => {
    const copy = path.join(dir, 'digits-copy.onnx');
    fs.copyFileSync(DIGITS, copy);
    const r = runCli(['prune', copy, '-o', copy, '--sparsity', '0.5']);
    expect([r.status, r.stderr]).toEqual([2, expect.stringContaining('[E_USAGE]')]);
    expect(fs.readFileSync(copy).equals(fs.readFileSync(DIGITS))).toBe(true);
  });

  it('warns about a pattern that matches nothing, listing candidates', () => {
    const r = runCli(['prune', DIGITS, '-o', path.join(dir, 'warn.onnx'), '--sparsity', '0.5', '--exclude', 'layer4.*', '--no-measure']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/exclude pattern 'layer4\.\*' matches no prunable weight or node; candidates: 'conv1\.weight' \/ '\/conv1\/Conv'/);
  });

  it('says clearly that a model without prunable weights has nothing to prune, and exits 0', () => {
    const m = new Model(new Map([['', 17]]));
    const x = m.graph.addInput('x', tensorType(DType.FLOAT, [2]));
    const y = m.graph.addNode({ opType: 'Relu', inputs: [x], outputs: ['y'] }).outputs[0]!;
    y.type = tensorType(DType.FLOAT, [2]);
    m.graph.outputs = [y];
    const file = path.join(dir, 'relu.onnx');
    saveModel(m, file);
    const r = runCli(['prune', file, '-o', path.join(dir, 'relu-out.onnx'), '--sparsity', '0.9', '--no-measure']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/nothing to prune: it has no Conv, ConvTranspose, Gemm or MatMul node/);
    expect(fs.readFileSync(path.join(dir, 'relu-out.onnx')).equals(fs.readFileSync(file))).toBe(true);
  });

  it('saves masks and rejects them, with E_SHAPE naming the tensor, on a model whose shapes differ', () => {
    const masks = path.join(dir, 'masks.json');
    const a = path.join(dir, 'chain-a.onnx');
    const b = path.join(dir, 'chain-b.onnx');
    saveModel(matmulChain([40, 30, 20]), a);
    saveModel(matmulChain([40, 20, 30]), b);
    expect(runCli(['prune', a, '-o', path.join(dir, 'a-out.onnx'), '--sparsity', '0.5', '--min-params', '0', '--save-masks', masks, '--no-measure']).status).toBe(0);
    const r = runCli(['prune', b, '-o', path.join(dir, 'b-out.onnx'), '--masks', masks, '--no-measure']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/mask for 'w1' has shape \[40,30\], but the weight has shape \[40,20\].*\[E_SHAPE\]/s);
  });

  it('prints the report as JSON', () => {
    const r = runCli(['prune', DIGITS, '-o', path.join(dir, 'json.onnx'), '--sparsity', '0.6', '--json', '--no-measure']);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as PruneSummary;
    expect(s.pipeline).toBe('prune-magnitude{sparsity=0.6},dce');
    expect((s.methods[0] as { layers: { name: string }[] }).layers.map((l) => l.name)).toEqual(['conv2.weight', 'conv3.weight', 'fc1.weight']);
  });
});

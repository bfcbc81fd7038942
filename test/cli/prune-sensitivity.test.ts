/** `shears sensitivity`: values checked against onnxruntime, weights restored, JSON and SVG written. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRUNE_DEFAULTS, pruneMagnitude } from '../../passes/prune-magnitude/prune.js';
import { analyzeSensitivity } from '../../passes/prune-magnitude/sensitivity.js';
import { parseArgs } from '../../src/cli/args.js';
import type { ModelRunner } from '../../src/cli/model-runner.js';
import { sensitivity, sensitivityCommand, writeSensitivityFiles } from '../../src/cli/sensitivity.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeTensor, loadModel } from '../../src/onnx/import.js';
import { saveModel } from '../../src/onnx/save.js';
import { tempDir } from '../helpers/build-model.js';
import { runOrt } from '../helpers/ort.js';
import { matmulChain } from '../passes/prune-magnitude-helpers.js';
import { runCli } from './run-cli.js';

const DIGITS = 'models/digits-cnn.onnx';
const ortRunner: ModelRunner = async (model, inputs) => ({ outputs: await runOrt(encodeModel(model).bytes, { ...inputs }), latencyMs: null });
const quiet = { out: () => {}, err: () => {} };
const dir = tempDir('shears-sensitivity-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('shears sensitivity', () => {
  it('measures accuracy with one layer pruned at a time, as pruning that layer alone and running onnxruntime gives', async () => {
    const args = parseArgs([DIGITS, '--data', 'models/digits-test-input.pb', '--labels', 'models/digits-test-labels.pb', '--levels', '0.5,0.9'], sensitivityCommand.options);
    const r = await sensitivity(args, ortRunner, quiet);
    expect(r.metric).toBe('accuracy');
    expect(r.baseline).toBe(447 / 450);
    expect(r.layers.map((l) => l.name)).toEqual(['conv2.weight', 'conv3.weight', 'fc1.weight']);
    const input = { input: decodeTensor(fs.readFileSync('models/digits-test-input.pb')) };
    const labels = decodeTensor(fs.readFileSync('models/digits-test-labels.pb')).toNumbers();
    const model = loadModel(DIGITS);
    pruneMagnitude(model, { ...PRUNE_DEFAULTS, sparsity: 0.9, include: ['conv2.weight'] });
    const logits = (await runOrt(encodeModel(model).bytes, input)).logits.data as Float32Array;
    let right = 0;
    for (let i = 0; i < 450; i++) {
      const row = Array.from(logits.subarray(i * 10, i * 10 + 10));
      if (row.indexOf(Math.max(...row)) === labels[i]) right++;
    }
    expect(r.layers[0].values[1]).toBe(right / 450);

    const [json, svg] = writeSensitivityFiles(r, dir);
    const saved = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(saved.levels).toEqual([0.5, 0.9]);
    expect(saved.layers.map((l: { values: number[] }) => l.values.length)).toEqual([2, 2, 2]);
    // Well-formed XML, one line per layer with a point per level plus the unpruned point.
    const py = spawnSync(
      '/usr/bin/python3',
      ['-c', 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); print([len(p.get("points").split()) for p in r.iter("{http://www.w3.org/2000/svg}polyline")])', svg],
      { encoding: 'utf8' },
    );
    expect(py.stdout.trim()).toBe('[3, 3, 3]');
  });

  it('restores every weight after the analysis', async () => {
    const model = matmulChain([30, 30, 30]);
    const before = encodeModel(model).bytes;
    let runs = 0;
    const result = await analyzeSensitivity(model, { levels: [0.5, 0.9], criterion: 'l1', include: [], exclude: [], minParams: 0, skipFirstLast: false }, async (m) => {
      runs++;
      return m.graph.lookup('w1')!.initializer!.countZeros() + m.graph.lookup('w2')!.initializer!.countZeros();
    });
    const baseline = result.baseline;
    expect(runs).toBe(5);
    expect(result.layers.map((l) => l.values.map((v) => v - baseline))).toEqual([
      [450 - model.graph.lookup('w1')!.initializer!.countZeros(), 810 - model.graph.lookup('w1')!.initializer!.countZeros()],
      [450 - model.graph.lookup('w2')!.initializer!.countZeros(), 810 - model.graph.lookup('w2')!.initializer!.countZeros()],
    ]);
    expect(Buffer.from(encodeModel(model).bytes).equals(Buffer.from(before))).toBe(true);
  });

  it('runs end to end with cpu-js and writes sensitivity.json and sensitivity.svg (CLI)', () => {
    const file = path.join(dir, 'chain.onnx');
    saveModel(matmulChain([40, 30, 10], 2), file);
    const out = path.join(dir, 'cli');
    fs.mkdirSync(out);
    const r = runCli(['sensitivity', file, '--min-params', '0', '--metric', 'cosine', '--levels', '0.5,0.8', '--out-dir', out]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/cosine similarity to the unpruned output on random inputs \(seed 0\); unpruned: 1\.00000/);
    expect(r.stdout).toMatch(/w1 +\[40,30\] +1200 +0\.\d{5} +0\.\d{5}/);
    expect(fs.existsSync(path.join(out, 'sensitivity.json')) && fs.existsSync(path.join(out, 'sensitivity.svg'))).toBe(true);
  });

  it.each([
    [['--levels', '0.5,1'], /--levels takes sparsities at least 0 and below 1/],
    [['--levels', '0.5,,0.7'], /--levels/],
    [['--metric', 'accuracy'], /--metric accuracy needs --labels/],
    [['--labels', 'models/digits-test-labels.pb'], /--labels needs --data/],
  ])('%j exits 2 with E_USAGE', (extra, message) => {
    const r = runCli(['sensitivity', DIGITS, '--out-dir', dir, ...extra]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('[E_USAGE]');
  });
});

/**
 * `shears prune --channels R`, in process: the written model is smaller, valid and runs in
 * onnxruntime; it combines with --sparsity; accuracy is measured with cpu-js (shears' own runner);
 * bad ratios are usage errors; a model with nothing prunable exits 0 unchanged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { cpuJsRunner } from '../../src/cli/model-runner.js';
import { prune, pruneCommand } from '../../src/cli/prune.js';
import { ShearsError } from '../../src/error.js';
import { printModel } from '../../src/ir/print.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { verifyModel } from '../../src/ir/verify.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeTensor, loadModel } from '../../src/onnx/import.js';
import { saveModel } from '../../src/onnx/save.js';
import { tempDir } from '../helpers/build-model.js';
import { runOrt } from '../helpers/ort.js';
import { Layers } from './channel-helpers.js';

const DIGITS = 'models/digits-cnn.onnx';
const quiet = { out: () => {}, err: () => {} };
let dir: string;
beforeAll(() => {
  dir = tempDir('shears-prune-channels-');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (argv: string[]) => prune(parseArgs(argv, pruneCommand.options), cpuJsRunner, quiet);
const images = decodeTensor(fs.readFileSync('models/digits-test-input.pb'));
const labels = decodeTensor(fs.readFileSync('models/digits-test-labels.pb')).toNumbers();

function accuracyOf(logits: Tensor): number {
  const x = logits.toNumbers();
  const right = labels.filter((y, i) => {
    const row = x.slice(i * 10, i * 10 + 10);
    return row.indexOf(Math.max(...row)) === y;
  }).length;
  return right / labels.length;
}

describe('shears prune --channels', () => {
  test('writes a smaller model that onnxruntime runs', async () => {
    const out = path.join(dir, 'digits-channels.onnx');
    const { summary, details } = await run([DIGITS, '-o', out, '--channels', '0.5', '--no-measure']);
    expect(summary.pipeline).toBe('prune-channels,dce');
    expect(summary.params.after / summary.params.before).toBeLessThan(0.3);
    expect(summary.fileBytes.after).toBeLessThan(summary.fileBytes.before * 0.4);
    expect(details.join('\n')).toMatch(/^channels: 112 prunable, 0 blocked, \d+ fixed/);
    const model = loadModel(out);
    expect(verifyModel(model)).toEqual([]);
    const logits = Object.values(await runOrt(out, { input: images }))[0];
    expect(logits.dims).toEqual([450, 10]);
    expect(accuracyOf(logits)).toBeGreaterThan(0.5);
  });

  test('measures accuracy before and after with cpu-js, as onnxruntime computes it', async (ctx) => {
    const out = path.join(dir, 'digits-measured.onnx');
    const { summary } = await run([DIGITS, '-o', out, '--channels', '0.5', '--data', 'models/digits-test-input.pb', '--labels', 'models/digits-test-labels.pb']);
    if (summary.notMeasured?.includes('not supported by cpu-js')) ctx.skip();
    expect(summary.accuracy!.before).toBeCloseTo(447 / 450, 6);
    const logits = Object.values(await runOrt(out, { input: images }))[0];
    expect(summary.accuracy!.after).toBeCloseTo(accuracyOf(logits), 6);
    // The report puts measured latency next to FLOPs: both present, FLOPs computed on each model.
    expect(summary.flops.after).toBeLessThan(summary.flops.before);
    expect(summary.latencyMs!.before).toBeGreaterThan(0);
    expect(summary.latencyMs!.after).toBeGreaterThan(0);
  });

  test('combines with --sparsity in one pipeline', async () => {
    const out = path.join(dir, 'digits-both.onnx');
    const { summary } = await run([DIGITS, '-o', out, '--channels', '0.25', '--sparsity', '0.6', '--min-params', '0', '--no-measure']);
    expect(summary.pipeline).toBe('prune-channels{ratio=0.25},prune-magnitude{sparsity=0.6,min-params=0},dce');
    expect(summary.params.after).toBeLessThan(summary.params.before * 0.6);
    expect(summary.nonzeros.after).toBeLessThan(summary.params.after * 0.5);
  });

  test('global scope, criterion, round-to and --explain reach the pass', async () => {
    const out = path.join(dir, 'digits-global.onnx');
    const { summary, details } = await run([DIGITS, '-o', out, '--channels', '0.5', '--channel-scope', 'global', '--channel-criterion', 'bn-gamma', '--round-to', '4', '--explain', '--no-measure']);
    expect(summary.pipeline).toBe('prune-channels{global-ratio=0.5,criterion=bn-gamma,round-to=4,explain=true},dce');
    expect(details.join('\n')).toMatch(/because of graph input 'input'/);
    for (const n of loadModel(out).graph.nodes.filter((x) => x.opType === 'Conv')) expect(n.inputs[1]!.constant!.dims[0] % 4).toBe(0);
  });

  test('a ratio outside [0, 1) is a usage error', async () => {
    for (const r of ['1', '-0.5', '2']) {
      await expect(run([DIGITS, '-o', path.join(dir, 'bad.onnx'), '--channels', r, '--no-measure'])).rejects.toThrow(ShearsError);
    }
    expect(fs.existsSync(path.join(dir, 'bad.onnx'))).toBe(false);
  });

  test('a model with nothing prunable: exit 0, same graph, and a note saying so', async () => {
    const l = new Layers();
    const m = l.b.output(l.conv(l.b.input('x', [1, 3, 8, 8]), 3, 4));
    const file = path.join(dir, 'single.onnx');
    saveModel(m, file);
    const out = path.join(dir, 'single-out.onnx');
    const io = { text: '', out: (t: string) => void (io.text += t), err: (t: string) => void (io.text += t) };
    const status = await pruneCommand.run(parseArgs([file, '-o', out, '--channels', '0.5', '--no-measure'], pruneCommand.options), io);
    expect(status).toBe(0);
    expect(io.text).toMatch(/nothing to prune/);
    expect(printModel(loadModel(out))).toBe(printModel(loadModel(file)));
    expect(encodeModel(loadModel(out)).bytes.length).toBe(encodeModel(m).bytes.length);
  });
});

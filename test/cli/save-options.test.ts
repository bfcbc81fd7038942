import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTensor, loadModel } from '../../src/onnx/import.js';
import { printModel } from '../../src/ir/print.js';
import { bitwiseEqual, runOrt } from '../helpers/ort.js';
import { runCli } from './run-cli.js';

const DIGITS = 'models/digits-cnn.onnx';

describe('--external-data on commands that write models', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shears-external-'));
  const input = { input: decodeTensor(fs.readFileSync('models/digits-test-input.pb')) };

  it('shears optimize writes tensors over the threshold to <output>.data; ORT and shears read it back the same', async () => {
    const inline = path.join(dir, 'inline.onnx');
    const split = path.join(dir, 'split.onnx');
    expect(runCli(['optimize', DIGITS, '-o', inline]).status).toBe(0);
    const r = runCli(['optimize', DIGITS, '-o', split, '--external-data', '1024']);
    expect(r.status).toBe(0);
    expect(fs.existsSync(`${split}.data`)).toBe(true);
    expect(fs.statSync(split).size).toBeLessThan(fs.statSync(inline).size / 4);
    expect(printModel(loadModel(split))).toBe(printModel(loadModel(inline)));
    const [a, b] = [await runOrt(inline, input), await runOrt(split, input)];
    expect(bitwiseEqual(a.logits, b.logits)).toBe(true);
  });

  it('shears prune takes a location for the side file', () => {
    const out = path.join(dir, 'pruned.onnx');
    const r = runCli(['prune', DIGITS, '-o', out, '--sparsity', '0.5', '--no-measure', '--external-data', '0', '--external-data-location', 'weights.bin']);
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'weights.bin'))).toBe(true);
    expect(loadModel(out).graph.initializers.some((v) => v.initializer!.storageKind === 'external')).toBe(true);
  });

  it('refuses a location outside the output folder and a location without a threshold', () => {
    const out = path.join(dir, 'bad.onnx');
    const outside = runCli(['optimize', DIGITS, '-o', out, '--external-data', '0', '--external-data-location', '../x.bin']);
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain('leaves the model folder');
    const alone = runCli(['optimize', DIGITS, '-o', out, '--external-data-location', 'x.bin']);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain('--external-data-location needs --external-data');
    expect(fs.existsSync(out)).toBe(false);
  });
});

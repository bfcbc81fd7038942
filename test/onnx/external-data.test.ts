/**
 * External data: tensors whose bytes live in a side file are read lazily (only when their data is
 * touched) and correctly; the writer moves large tensors to a side file and the result reads back
 * as the same IR.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ShearsError } from '../../src/error.js';
import { DType } from '../../src/ir/dtype.js';
import { printModel } from '../../src/ir/print.js';
import { verifyModel } from '../../src/ir/verify.js';
import { loadModel } from '../../src/onnx/import.js';
import { saveModel } from '../../src/onnx/save.js';
import { externalTensor, floatInfo, modelBytes, tempDir } from '../helpers/build-model.js';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const W = [1.5, -2, 3.25, 4, 0.125, -6];
const STEPS = [7n, -1n, 9007199254740993n];

/**
 * A side file holding a float32 [2,3] tensor at offset 0 and an int64 [3] tensor at offset 64 (a
 * gap of junk bytes between them, so a reader that ignores the offset reads wrong values), and a
 * model `y = Add(x, w)` that refers to both.
 */
function writeModelWithSideFile(): string {
  const side = new Uint8Array(64 + 24);
  side.fill(0xee);
  side.set(new Uint8Array(new Float32Array(W).buffer), 0);
  side.set(new Uint8Array(new BigInt64Array(STEPS).buffer), 64);
  fs.writeFileSync(path.join(dir, 'weights.bin'), side);
  const file = path.join(dir, 'model.onnx');
  fs.writeFileSync(
    file,
    modelBytes({
      name: 'g',
      input: [floatInfo('x', [2, 3])],
      output: [floatInfo('y', [2, 3]), { name: 'steps' }],
      initializer: [externalTensor('w', [2, 3], 'weights.bin', '0', '24'), externalTensor('steps', [3], 'weights.bin', '64', '24', DType.INT64)],
      node: [{ opType: 'Add', name: 'add', input: ['x', 'w'], output: ['y'] }],
    }),
  );
  return file;
}

describe('reading external data', () => {
  it('reads the values at their offsets', () => {
    const model = loadModel(writeModelWithSideFile());
    expect(verifyModel(model)).toEqual([]);
    expect(Array.from(model.graph.lookup('w')!.initializer!.data as Float32Array)).toEqual(W);
    expect(Array.from(model.graph.lookup('steps')!.initializer!.data as BigInt64Array)).toEqual(STEPS);
  });

  it('reads nothing until the data is touched: bytes rewritten after load are the bytes read', () => {
    const model = loadModel(writeModelWithSideFile());
    const w = model.graph.lookup('w')!.initializer!;
    expect(w.storageKind).toBe('external');
    const changed = W.map((v) => v * 10);
    const side = fs.readFileSync(path.join(dir, 'weights.bin'));
    side.set(new Uint8Array(new Float32Array(changed).buffer), 0);
    fs.writeFileSync(path.join(dir, 'weights.bin'), side); // same file, rewritten in place
    expect(Array.from(w.data as Float32Array)).toEqual(changed);
  });

  it('rawBytes() reads the side file too, and data is read once then kept', () => {
    const model = loadModel(writeModelWithSideFile());
    const w = model.graph.lookup('w')!.initializer!;
    expect(Array.from(new Float32Array(w.rawBytes().slice().buffer))).toEqual(W);
    const values = Array.from(w.data as Float32Array);
    fs.rmSync(path.join(dir, 'weights.bin'));
    expect(Array.from(w.data as Float32Array)).toEqual(values);
  });

  it('a side file deleted before the data is touched gives a ShearsError naming the tensor', () => {
    const model = loadModel(writeModelWithSideFile());
    fs.rmSync(path.join(dir, 'weights.bin'));
    const w = model.graph.lookup('w')!.initializer!;
    expect(() => w.data).toThrow(ShearsError);
    expect(() => w.data).toThrow(/tensor 'w'.*'weights\.bin'/);
  });

  it('a side file swapped for a symlink to another file after load is refused', () => {
    const model = loadModel(writeModelWithSideFile());
    fs.writeFileSync(path.join(dir, 'elsewhere.bin'), new Uint8Array(200));
    fs.rmSync(path.join(dir, 'weights.bin'));
    fs.symlinkSync(path.join(dir, 'elsewhere.bin'), path.join(dir, 'weights.bin'));
    expect(() => model.graph.lookup('w')!.initializer!.data).toThrow(ShearsError);
  });

  it('a side file that shrank after load is refused, not read short', () => {
    const model = loadModel(writeModelWithSideFile());
    fs.truncateSync(path.join(dir, 'weights.bin'), 70);
    expect(() => model.graph.lookup('steps')!.initializer!.data).toThrow(/shrank/);
    expect(Array.from(model.graph.lookup('w')!.initializer!.data as Float32Array)).toEqual(W);
  });
});

describe('writing external data', () => {
  it('saveModel moves tensors over the threshold to the side file and the model reads back the same', () => {
    const original = loadModel('models/digits-cnn.onnx');
    const file = path.join(dir, 'digits.onnx');
    const result = saveModel(original, file, { externalData: { threshold: 1024, location: 'digits.weights' } });
    expect(result.sideFiles).toEqual([path.join(dir, 'digits.weights')]);
    expect(fs.statSync(file).size).toBeLessThan(fs.statSync('models/digits-cnn.onnx').size / 10);

    const again = loadModel(file);
    expect(verifyModel(again)).toEqual([]);
    const kinds = again.graph.initializers.map((v) => [v.initializer!.byteLength >= 1024, v.initializer!.storageKind]);
    expect(kinds.some(([big]) => big)).toBe(true);
    for (const [big, kind] of kinds) expect(kind).toBe(big ? 'external' : 'raw');
    expect(printModel(again)).toBe(printModel(original));
  });

  it('a model with external data saved without it reads back the same, all inline', () => {
    const model = loadModel(writeModelWithSideFile());
    const text = printModel(model);
    const file = path.join(dir, 'inline.onnx');
    saveModel(model, file);
    fs.rmSync(path.join(dir, 'weights.bin'));
    const again = loadModel(file);
    expect(again.graph.initializers.map((v) => v.initializer!.storageKind)).toEqual(['raw', 'raw']);
    expect(printModel(again)).toBe(text);
  });

  it.each(['../outside.bin', '/tmp/abs.bin', 'C:\\w.bin', 'sub/../../up.bin'])('refuses to write side data to %s, outside the model folder', (location) => {
    const model = loadModel('models/digits-cnn.onnx');
    const file = path.join(dir, 'refused.onnx');
    expect(() => saveModel(model, file, { externalData: { threshold: 16, location } })).toThrow(ShearsError);
    expect(fs.existsSync(file)).toBe(false);
  });
});

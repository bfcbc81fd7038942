import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { runCommand } from '../../src/cli/run.js';
import { DType } from '../../src/ir/dtype.js';
import { Model } from '../../src/ir/model.js';
import { Tensor } from '../../src/ir/tensor.js';
import { tensorType } from '../../src/ir/types.js';
import { decodeNpy, encodeNpy } from '../../src/io/npy.js';
import { encodeTensor } from '../../src/onnx/export.js';
import { saveModel } from '../../src/onnx/save.js';

/** y = Relu(a - b) over [2, 2] floats; 'b' has a name with a slash to test file naming. */
function writeModel(dir: string): string {
  const m = new Model(new Map([['', 17]]));
  const g = m.graph;
  const a = g.addInput('a', tensorType(DType.FLOAT, [2, 2]));
  const b = g.addInput('b', tensorType(DType.FLOAT, [2, 2]));
  const d = g.addNode({ opType: 'Sub', inputs: [a, b], outputs: ['d'] }).outputs[0]!;
  const y = g.addNode({ opType: 'Relu', inputs: [d], outputs: ['out/y'] }).outputs[0]!;
  g.outputs = [y, d];
  const file = path.join(dir, 'model.onnx');
  saveModel(m, file);
  return file;
}

async function run(argv: string[]): Promise<{ status: number; out: string }> {
  let out = '';
  const io = { out: (t: string) => (out += t), err: (t: string) => (out += t) };
  const status = await runCommand.run(parseArgs(argv, runCommand.options), io);
  return { status, out };
}

const f32 = (values: number[]): Tensor => Tensor.fromNumbers(DType.FLOAT, [2, 2], values);

describe('shears run', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shears-run-'));
  const model = writeModel(dir);
  fs.writeFileSync(path.join(dir, 'a.npy'), encodeNpy(f32([1, 2, 3, 4])));
  fs.writeFileSync(path.join(dir, 'b.npy'), encodeNpy(f32([4, 3, 2, 1])));

  it('binds .npy inputs in order, prints shapes and writes each output as <name>.npy', async () => {
    const outDir = path.join(dir, 'out');
    const r = await run([model, '--input', path.join(dir, 'a.npy'), '--input', path.join(dir, 'b.npy'), '--output', outDir, '--stats']);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/out\/y\s+float32\s+\[2,2\]/);
    expect(r.out).toMatch(/peak activation bytes \d+ .* vs sum of intermediates \d+/);
    const y = decodeNpy(fs.readFileSync(path.join(outDir, 'out_y.npy')));
    expect([...(y.data as Float32Array)]).toEqual([0, 0, 1, 3]);
    expect([...(decodeNpy(fs.readFileSync(path.join(outDir, 'd.npy'))).data as Float32Array)]).toEqual([-3, -1, 1, 3]);
  });

  it('--threads 2 gives the same output bytes as one thread on the digits model', async () => {
    const outputs = async (threads: string): Promise<Buffer> => {
      const outDir = path.join(dir, `threads-${threads}`);
      const r = await run(['models/digits-cnn.onnx', '--input', 'models/digits-test-input.pb', '--threads', threads, '--output', outDir]);
      expect(r.status).toBe(0);
      return fs.readFileSync(path.join(outDir, 'logits.npy'));
    };
    expect((await outputs('2')).equals(await outputs('1'))).toBe(true);
    await expect(run(['models/digits-cnn.onnx', '--threads', '1.5'])).rejects.toThrow(/--threads needs a whole number/);
  });

  it('--memory lean gives the digits model\'s outputs within tolerance of the default, and refuses other modes', async () => {
    const logits = async (memory: string): Promise<Float32Array> => {
      const outDir = path.join(dir, `memory-${memory}`);
      const r = await run(['models/digits-cnn.onnx', '--input', 'models/digits-test-input.pb', '--memory', memory, '--output', outDir]);
      expect(r.status).toBe(0);
      return decodeNpy(fs.readFileSync(path.join(outDir, 'logits.npy'))).data as Float32Array;
    };
    const fast = await logits('fast');
    const lean = await logits('lean');
    expect(lean.length).toBe(fast.length);
    lean.forEach((v, i) => expect(v).toBeCloseTo(fast[i], 4));
    await expect(run(['models/digits-cnn.onnx', '--memory', 'small'])).rejects.toThrow(/--memory needs one of fast, lean, got 'small'/);
  });

  it('binds .pb inputs by their tensor names, whatever the file order', async () => {
    const pbDir = path.join(dir, 'pb');
    fs.mkdirSync(pbDir);
    const b = f32([4, 3, 2, 1]);
    b.name = 'b';
    const a = f32([1, 2, 3, 4]);
    a.name = 'a';
    fs.writeFileSync(path.join(pbDir, 'input_0.pb'), encodeTensor(b));
    fs.writeFileSync(path.join(pbDir, 'input_1.pb'), encodeTensor(a));
    const outDir = path.join(dir, 'out-pb');
    expect((await run([model, '--input', pbDir, '--output', outDir])).status).toBe(0);
    expect([...(decodeNpy(fs.readFileSync(path.join(outDir, 'd.npy'))).data as Float32Array)]).toEqual([-3, -1, 1, 3]);
  });

  it('accepts NAME=FILE', async () => {
    const outDir = path.join(dir, 'out-named');
    const r = await run([model, '--input', `b=${path.join(dir, 'a.npy')}`, '--input', `a=${path.join(dir, 'b.npy')}`, '--output', outDir]);
    expect(r.status).toBe(0);
    expect([...(decodeNpy(fs.readFileSync(path.join(outDir, 'd.npy'))).data as Float32Array)]).toEqual([3, 1, -1, -3]);
  });

  it('uses seeded random inputs without --input, the same for the same seed', async () => {
    const first = await run([model, '--seed', '7']);
    const again = await run([model, '--seed', '7']);
    expect(first.status).toBe(0);
    expect(first.out).toMatch(/random inputs, seed 7/);
    const summary = (s: string): string => s.split('\n').filter((l) => l.includes('min')).join('\n');
    expect(summary(first.out)).toBe(summary(again.out));
  });

  it('rejects an input of the wrong shape with E_SHAPE naming it and the expected shape', async () => {
    fs.writeFileSync(path.join(dir, 'wrong.npy'), encodeNpy(Tensor.fromNumbers(DType.FLOAT, [3], [1, 2, 3])));
    await expect(run([model, '--input', path.join(dir, 'wrong.npy'), '--input', path.join(dir, 'b.npy')])).rejects.toThrow(
      expect.objectContaining({ code: 'E_SHAPE', message: expect.stringMatching(/input 'a' has shape \[3\], but the model expects \[2,2\]/) }),
    );
  });

  it('--stats counts string weights too (their UTF-8 bytes)', async () => {
    const m = new Model(new Map([['', 17]]));
    const g = m.graph;
    const x = g.addInput('x', tensorType(DType.FLOAT, [2]));
    const labels = g.addInitializer('labels', new Tensor(DType.STRING, [2], ['cat', 'dog']));
    g.outputs = [g.addNode({ opType: 'Relu', inputs: [x], outputs: ['y'] }).outputs[0]!, g.addNode({ opType: 'Identity', inputs: [labels], outputs: ['names'] }).outputs[0]!];
    const file = path.join(dir, 'strings.onnx');
    saveModel(m, file);
    const r = await run([file, '--stats']);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/names\s+string\s+\[2\]\s+first "cat"/);
    expect(r.out).toMatch(/memory: peak RSS .*\(weights 6 B\)/);
  });

  it('says which inputs are missing', async () => {
    await expect(run([model, '--input', path.join(dir, 'a.npy')])).rejects.toThrow(expect.objectContaining({ code: 'E_USAGE', message: expect.stringMatching(/no input given for 'b'/) }));
  });
});

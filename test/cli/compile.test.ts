import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { commandHelp } from '../../src/cli/command.js';
import { compileCommand } from '../../src/cli/compile.js';
import { DType } from '../../src/ir/dtype.js';
import { Model } from '../../src/ir/model.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { tensorType } from '../../src/ir/types.js';
import { randomInputs } from '../../src/io/input-files.js';
import { loadModel } from '../../src/onnx/import.js';
import { saveModel } from '../../src/onnx/save.js';
import { mismatch } from '../backends/cpu-js/compare.js';
import { buildShears, fromWire, runInNode } from '../backends/cpu-js/emit-helpers.js';
import { runOrt } from '../helpers/ort.js';

const DIGITS = path.resolve('models/digits-cnn.onnx');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shears-compile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function compileInProcess(argv: string[]): Promise<number> | number {
  return compileCommand.run(parseArgs(argv, compileCommand.options), { out: () => {}, err: () => {} });
}

describe('shears compile', () => {
  const m = new Model(new Map([['', 17]]));
  const x = m.graph.addInput('x', tensorType(DType.FLOAT, [1]));
  m.graph.outputs = [m.graph.addNode({ opType: 'Frobnicate', inputs: [x], outputs: ['y'] }).outputs[0]!];
  const odd = path.join(tmp, 'odd.onnx');
  saveModel(m, odd);

  it('needs --output', () => {
    expect(() => compileInProcess([odd])).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });

  it('lists unsupported ops and writes nothing', () => {
    const out = path.join(tmp, 'odd-out');
    expect(() => compileInProcess([odd, '--output', out])).toThrow(expect.objectContaining({ code: 'E_UNSUPPORTED_OP', message: expect.stringMatching(/Frobnicate/) }));
    expect(fs.existsSync(out)).toBe(false);
  });

  it('documents --target, --input-shape, --memory and what it writes', () => {
    const help = commandHelp(compileCommand);
    for (const text of ['--target', '--backend', '--input-shape', '--memory', 'NAME.weights.bin', 'package.json', 'run(inputs)']) expect(help).toContain(text);
  });

  it('refuses an unknown --memory mode', () => {
    expect(() => compileInProcess([DIGITS, '--output', path.join(tmp, 'bad-memory'), '--memory', 'tiny'])).toThrow(expect.objectContaining({ code: 'E_USAGE', message: expect.stringMatching(/--memory needs one of fast, lean/) }));
  });

  it('--memory lean: the module creates its kernels in lean mode', () => {
    const out = path.join(tmp, 'lean-out');
    expect(compileInProcess([DIGITS, '--output', out, '--memory', 'lean', '--input-shape', 'input=1,1,8,8'])).toBe(0);
    expect(fs.readFileSync(path.join(out, 'model.js'), 'utf8')).toMatch(/memory\(W, \d+, 'lean'\)/);
  });
});

describe.skipIf(!fs.existsSync(DIGITS))('shears compile, as a user runs it', () => {
  let cli: string;
  beforeAll(() => {
    cli = path.join(buildShears(), 'src/cli/main.js');
  }, 120_000);

  const shears = (args: string[]) => {
    const r = spawnSync(process.execPath, [cli, ...args], { cwd: tmp, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  async function expectOrtMatch(dir: string, batch: number): Promise<void> {
    const model = loadModel(DIGITS);
    const input = model.graph.inputs[0];
    input.type = tensorType(DType.FLOAT, [batch, 1, 8, 8]);
    const feeds = randomInputs(model.graph, 5).feeds as Record<string, Tensor>;
    const expected = await runOrt(DIGITS, feeds);
    const { first, second } = runInNode(dir, 'model', feeds);
    for (const got of [first, second]) expect(mismatch(fromWire(got.logits), expected.logits, { rtol: 1e-3, atol: 1e-4 })).toBeNull();
  }

  it('--input-shape batch=2 writes a static module that matches onnxruntime', async () => {
    const out = path.join(tmp, 'static');
    const r = shears(['compile', DIGITS, '-o', out, '--target', 'cpu-js', '--input-shape', 'batch=2']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*static\/model\.js \(.*\), .*static\/model\.weights\.bin \(.*\), .*static\/package\.json \(.*\), .*static\/model\.runtime\/ \(\d+ files, .*\) for cpu-js\n/);
    expect(r.stdout).toMatch(/\nstatic plan: 15 kernel calls/);
    expect(r.stdout).not.toMatch(/note:/);
    expect(fs.readFileSync(path.join(out, 'model.js'), 'utf8')).toContain('[["input", 1, [2, 1, 8, 8]], c1, c2]');
    await expectOrtMatch(out, 2);
  });

  it('without static shapes writes a dynamic module, says why and how to get a static one', async () => {
    const out = path.join(tmp, 'dynamic');
    const r = shears(['compile', DIGITS, '--output', out, '--backend', 'cpu-js']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\ndynamic module .*input 'input' is float32\[batch,1,8,8\]/);
    expect(r.stdout).toContain('note: for a static module with the shapes baked in, give concrete dims: --input-shape input=1,1,8,8');
    await expectOrtMatch(out, 3);
  });

  it('takes a whole input shape, and refuses shapes that do not fit the model', () => {
    const out = path.join(tmp, 'whole');
    expect(shears(['compile', DIGITS, '-o', out, '--input-shape', 'input=4,1,8,8']).status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'model.js'), 'utf8')).toContain("Static plan for 'input' float32[4,1,8,8]");
    const refused = [
      [['--input-shape', 'input=4,1,8'], /gives 'input' shape \[4,1,8\], but the model declares \[batch,1,8,8\]/],
      [['--input-shape', 'input=4,2,8,8'], /but the model declares/],
      [['--input-shape', 'nosuch=3'], /no input or symbolic dim named 'nosuch'; its inputs are 'input' float32\[batch,1,8,8\]/],
      [['--input-shape', 'input=a,b'], /takes NAME=D1,D2/],
      [['--target', 'cpu-js', '--backend', 'webgpu'], /disagree/],
    ] as const;
    for (const [args, message] of refused) {
      const r = shears(['compile', DIGITS, '-o', path.join(tmp, 'refused'), ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(fs.existsSync(path.join(tmp, 'refused'))).toBe(false);
  });

  it('leaves a package.json that says "type": "module" alone and refuses one that does not', () => {
    const ok = path.join(tmp, 'has-package');
    fs.mkdirSync(ok);
    fs.writeFileSync(path.join(ok, 'package.json'), '{ "name": "app", "type": "module" }');
    expect(shears(['compile', DIGITS, '-o', ok, '--input-shape', 'batch=1']).status).toBe(0);
    expect(fs.readFileSync(path.join(ok, 'package.json'), 'utf8')).toBe('{ "name": "app", "type": "module" }');
    expect(fs.existsSync(path.join(ok, 'model.js'))).toBe(true);

    const clash = path.join(tmp, 'commonjs-package');
    fs.mkdirSync(clash);
    fs.writeFileSync(path.join(clash, 'package.json'), '{ "name": "app" }');
    const r = shears(['compile', DIGITS, '-o', clash]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/exists without "type": "module"/);
    expect(fs.readdirSync(clash)).toEqual(['package.json']);
  });
});

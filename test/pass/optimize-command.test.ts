/** `shears optimize` and `shears passes` end to end, through the built CLI. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel } from '../../src/onnx/export.js';
import { loadModel } from '../../src/onnx/import.js';
import { defaultRegistry } from '../../src/pass/registry.js';
import { runCli } from '../cli/run-cli.js';
import { tempDir } from '../helpers/build-model.js';
import { expectSameOutputs, randomInputs } from '../helpers/diff.js';
import { float, ints, ModelBuilder, opCounts } from '../passes/builder.js';

let dir: string;
let input: string;

/** Conv → BatchNormalization → Identity → Relu, with a dead branch and a Constant. */
function writeModel(file: string): void {
  const b = new ModelBuilder(13);
  const x = b.input('x', ['batch', 2, 5, 5]);
  const c = b.op('Conv', [x, b.init('w', [3, 2, 3, 3], Array.from({ length: 54 }, (_, i) => Math.cos(i) / 4))], [ints('pads', [1, 1, 1, 1])]);
  const p = (name: string, v: number[]) => b.init(name, [3], v);
  const bn = b.op('BatchNormalization', [c, p('g', [1, 0.5, 2]), p('beta', [0.1, 0, -0.1]), p('m', [0.2, -0.3, 0]), p('v', [1, 2, 0.5])], [float('epsilon', 1e-5)]);
  b.op('Sigmoid', [x]);
  const model = b.output(b.op('Relu', [b.op('Identity', [bn])]));
  fs.writeFileSync(file, encodeModel(model).bytes);
}

beforeAll(() => {
  dir = tempDir();
  input = path.join(dir, 'in.onnx');
  writeModel(input);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('shears optimize', () => {
  it('runs simplify by default, reports before/after and pass statistics, and keeps the outputs', async () => {
    const out = path.join(dir, 'out.onnx');
    const original = fs.readFileSync(input);
    const r = runCli(['optimize', input, '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('pipeline  dce,fixpoint(');
    expect(r.stdout).toMatch(/nodes\s+5\s+2\s+-60\.0%/);
    expect(r.stdout).toMatch(/FLOPs\s+[\d,]+ \([\d.]+K\)\s+[\d,]+ \([\d.]+K\)/);
    expect(r.stdout).toContain('fold-batchnorm: batchnorms-folded 1');
    expect(r.stdout).toContain('eliminate-identity: nodes-removed 1');
    expect(fs.readFileSync(input).equals(original)).toBe(true);
    const optimized = loadModel(out);
    expect(opCounts(optimized)).toEqual({ Conv: 1, Relu: 1 });
    for (const batch of [1, 2]) await expectSameOutputs(input, out, randomInputs(optimized, { batch }, batch));
  });

  it('writes byte-identical files when run twice', () => {
    const a = path.join(dir, 'a.onnx');
    const b = path.join(dir, 'b.onnx');
    for (const out of [a, b]) expect(runCli(['optimize', input, '-o', out, '--passes', 'fold-constants,cse,fixpoint(eliminate-identity,dce)']).status).toBe(0);
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
  });

  it('prints the timing table and the IR after a pass on stderr', () => {
    const r = runCli(['optimize', input, '-o', path.join(dir, 't.onnx'), '--passes', 'dce,cse', '--time-passes', '--print-ir-after', 'dce']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('// ----- IR after dce -----');
    expect(r.stderr).toMatch(/wall ms\s+%\s+runs\s+changed\s+changes\s+pass/);
    expect(r.stderr).toMatch(/\s1\s+1\s+1\s+dce\n/);
  });

  it('refuses to overwrite the input unless --in-place', () => {
    const copy = path.join(dir, 'copy.onnx');
    fs.copyFileSync(input, copy);
    const refused = runCli(['optimize', copy, '-o', copy]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--in-place');
    expect(runCli(['optimize', copy]).status).toBe(2);
    expect(runCli(['optimize', copy, '--in-place']).status).toBe(0);
    expect(opCounts(loadModel(copy))).toEqual({ Conv: 1, Relu: 1 });
  });

  it('rejects bad pipelines with E_PIPELINE and the list of valid names, before reading the model', () => {
    const unknown = runCli(['optimize', 'missing.onnx', '-o', path.join(dir, 'x.onnx'), '--passes', 'dce,simplfy']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown pass 'simplfy'");
    expect(unknown.stderr).toContain('[E_PIPELINE]');
    for (const name of defaultRegistry.passes.keys()) expect(unknown.stderr).toContain(name);
    const badOption = runCli(['optimize', input, '-o', path.join(dir, 'x.onnx'), '--passes', 'fold-constants{max-growth=big}']);
    expect(badOption.status).toBe(2);
    expect(badOption.stderr).toContain("option 'max-growth' of pass 'fold-constants' must be number");
    const disabled = runCli(['optimize', input, '-o', path.join(dir, 'x.onnx'), '--disable-pass', 'nope']);
    expect(disabled.status).toBe(2);
    expect(disabled.stderr).toContain("--disable-pass: unknown pass 'nope'");
  });

  it('reports a model that cannot be read as bad input', () => {
    const bad = path.join(dir, 'bad.onnx');
    fs.writeFileSync(bad, 'not a model');
    const r = runCli(['optimize', bad, '-o', path.join(dir, 'y.onnx')]);
    expect(r.status).toBe(2);
    expect(fs.existsSync(path.join(dir, 'y.onnx'))).toBe(false);
  });
});

describe('shears passes', () => {
  it('lists every registered pass and pipeline with options and defaults', () => {
    const r = runCli(['passes']);
    expect(r.status).toBe(0);
    for (const name of [...defaultRegistry.passes.keys(), ...defaultRegistry.pipelines.keys()]) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(r.stdout).toContain('max-growth=<number in [0, inf]> (default 4)');
  });

  it('describes one pass, and rejects an unknown one', () => {
    const r = runCli(['passes', 'fold-batchnorm']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('before:');
    expect(r.stdout).toContain('batchnorms-folded');
    const bad = runCli(['passes', 'fold-batchnorms']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('[E_PIPELINE]');
  });

  it('prints the Markdown section that the README holds', () => {
    const r = runCli(['passes', '--markdown']);
    expect(r.status).toBe(0);
    expect(fs.readFileSync('README.md', 'utf8')).toContain(r.stdout);
  });
});

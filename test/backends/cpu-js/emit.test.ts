import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitModule } from '../../../backends/cpu-js/emit/emit.js';
import { DType } from '../../../src/ir/dtype.js';
import { Model } from '../../../src/ir/model.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { tensorType } from '../../../src/ir/types.js';
import { decodeTensor, loadModel } from '../../../src/onnx/import.js';
import { encodeModel } from '../../../src/onnx/export.js';
import { compareTensors } from '../../helpers/diff.js';
import { NODE_SUITE_DIR } from '../../helpers/node-suite.js';
import { runOrt } from '../../helpers/ort.js';
import { buildShears, fromWire, runInNode, runNode, writeFiles } from './emit-helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shears-emit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let runtimeDir: string;

/** y = Reshape(Relu(x · W + b), [4]) with W, b initializers; the reshape target comes from Shape → Concat (folded). */
function denseModel(): Model {
  const m = new Model(new Map([['', 17]]));
  const g = m.graph;
  const x = g.addInput('x', tensorType(DType.FLOAT, [2, 2]));
  const w = g.addInitializer('W', Tensor.fromNumbers(DType.FLOAT, [2, 2], [1, -1, 2, 0.5]));
  const b = g.addInitializer('b', Tensor.fromNumbers(DType.FLOAT, [2], [0.5, -Infinity]));
  const mm = g.addNode({ opType: 'MatMul', inputs: [x, w], outputs: ['mm'] }).outputs[0]!;
  const sum = g.addNode({ opType: 'Add', inputs: [mm, b], outputs: ['sum'] }).outputs[0]!;
  const relu = g.addNode({ opType: 'Relu', inputs: [sum], outputs: ['relu'] }).outputs[0]!;
  const shape = g.addNode({ opType: 'Shape', inputs: [x], outputs: ['shape'] }).outputs[0]!;
  const size = g.addNode({ opType: 'ReduceProd', inputs: [shape], outputs: ['size'], attributes: [{ name: 'keepdims', type: 'int', value: 1 }] }).outputs[0]!;
  g.outputs = [g.addNode({ opType: 'Reshape', inputs: [relu, size], outputs: ['y'] }).outputs[0]!];
  return m;
}

function emitTo(dir: string, model: Model, notes: string[] = []): string {
  writeFiles(dir, emitModule(model, { name: 'net', runtimeDir, note: (m) => notes.push(m) }));
  return fs.readFileSync(path.join(dir, 'net.js'), 'utf8');
}

describe('cpu-js emit', () => {
  beforeAll(() => {
    runtimeDir = buildShears();
  }, 120_000);

  it('writes a static module: the plan as code, weights, runtime and package.json', () => {
    const dir = path.join(tmp, 'dense');
    const notes: string[] = [];
    const source = emitTo(dir, denseModel(), notes);
    expect(notes.join("\n")).toMatch(/^static plan: 4 kernel calls \(2 more computed from constants and shapes at compile time\)/);
    expect(source).toMatch(/kernel\(M, \{ op: "MatMul", opset: 17, name: "" \},\s*\[\["x", 1, \[2, 2\]\], c\d+\]/);
    expect(source).not.toMatch(/Shape|ReduceProd/);
    expect(source).toContain("export async function run(feeds)");
    // Only the kernel files its ops need (running it below shows they suffice).
    const kernelImports = [...source.matchAll(/^import '\.\/net\.runtime\/backends\/cpu-js\/kernels\/(.*)';$/gm)].map((m) => m[1]);
    expect(kernelImports).toContain('matmul.js');
    expect(kernelImports.length).toBeLessThanOrEqual(4);
    expect(fs.readdirSync(path.join(dir, 'net.runtime/backends/cpu-js/kernels')).sort()).toEqual([...kernelImports].sort());
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))).toEqual({ type: 'module' });
    // W (16 bytes), b (8) and the folded reshape target (8, int64).
    expect(fs.statSync(path.join(dir, 'net.weights.bin')).size).toBe(32);

    const x = Tensor.fromNumbers(DType.FLOAT, [2, 2], [1, 2, 3, -4]);
    const { first, second } = runInNode(dir, 'net', { x });
    // x·W = [[5, 0], [-5, -5]]; + b = [[5.5, -inf], [-4.5, -inf]]; Relu.
    for (const out of [first, second]) {
      const y = fromWire(out.y);
      expect(y.dims).toEqual([4]);
      expect(Array.from(y.data as Float32Array)).toEqual([5.5, 0, 0, 0]);
    }
  });

  it('plans a Conv with the Relu and constant Clip after it as one FusedConv kernel, as the executor fuses them', async () => {
    const m = new Model(new Map([['', 17]]));
    const g = m.graph;
    const x = g.addInput('x', tensorType(DType.FLOAT, [1, 8, 9, 9]));
    const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) / 2);
    const w = g.addInitializer('w', Tensor.fromNumbers(DType.FLOAT, [8, 8, 3, 3], values(576, 1)));
    const b = g.addInitializer('b', Tensor.fromNumbers(DType.FLOAT, [8], values(8, 2)));
    const lo = g.addInitializer('lo', Tensor.fromNumbers(DType.FLOAT, [], [-0.25]));
    const pads = { name: 'pads', type: 'ints' as const, value: [1, 1, 1, 1] };
    const c1 = g.addNode({ opType: 'Conv', inputs: [x, w, b], outputs: ['c1'], attributes: [pads] }).outputs[0]!;
    const r1 = g.addNode({ opType: 'Relu', inputs: [c1], outputs: ['r1'] }).outputs[0]!;
    const c2 = g.addNode({ opType: 'Conv', inputs: [r1, w, b], outputs: ['c2'], attributes: [pads] }).outputs[0]!;
    g.outputs = [g.addNode({ opType: 'Clip', inputs: [c2, lo], outputs: ['y'] }).outputs[0]!];
    const notes: string[] = [];
    const source = emitTo(path.join(tmp, 'fused'), m, notes);
    expect(notes.join('\n')).toMatch(/^static plan: 2 kernel calls/);
    expect(source.match(/op: "FusedConv"[^\n]*domain: "com.microsoft"/g)).toHaveLength(2);
    const feeds = { x: Tensor.fromNumbers(DType.FLOAT, [1, 8, 9, 9], values(648, 3)) };
    const expected = await runOrt(encodeModel(m).bytes, feeds);
    const { first, second } = runInNode(path.join(tmp, 'fused'), 'net', feeds);
    for (const out of [first, second]) expect(compareTensors(expected.y, fromWire(out.y, 'y'))).toBeUndefined();
  });

  it('takes a typed array or { data, dims } and reports bad inputs', () => {
    const dir = path.join(tmp, 'dense');
    fs.writeFileSync(
      path.join(dir, 'errors.mjs'),
      `import { run, inputs, outputs } from './net.js';
const attempt = async (feeds) => { try { await run(feeds); return 'ok'; } catch (e) { return e.code + ': ' + e.message; } };
const plain = await run({ x: new Float32Array([1, 2, 3, -4]) });
console.log(JSON.stringify({
  inputs, outputs, y: plain.y.dtype + ' ' + plain.y.dims + ' ' + Array.from(plain.y.data),
  dims: await attempt({ x: { data: new Float32Array(4), dims: [4, 1] } }),
  type: await attempt({ x: new Float64Array(4) }),
  count: await attempt({ x: { data: [1, 2, 3], dims: [2, 2] } }),
  missing: await attempt({}),
  unknown: await attempt({ x: new Float32Array(4), z: new Float32Array(1) }),
  list: await attempt({ x: { data: [1, 2, 3, -4], dims: [2, 2] } }),
}));`,
    );
    const r = JSON.parse(runNode(dir, 'errors.mjs'));
    expect(r.inputs).toEqual([{ name: 'x', dtype: 'float32', shape: [2, 2] }]);
    expect(r.outputs).toEqual([{ name: 'y', dtype: 'float32', shape: [4] }]);
    expect(r.y).toBe('float32 4 5.5,0,0,0');
    expect(r.dims).toMatch(/^E_SHAPE: input 'x' has dims \[4,1\], but the model expects float32\[2,2\]/);
    expect(r.type).toMatch(/^E_SHAPE: input 'x' is float32: pass a Float32Array .*Float64Array/);
    expect(r.count).toMatch(/^E_SHAPE: input 'x' has 3 elements/);
    expect(r.missing).toMatch(/^E_SHAPE: input 'x' is missing/);
    expect(r.unknown).toMatch(/^E_SHAPE: the model has no input 'z'/);
    expect(r.list).toBe('ok');
  });

  it('falls back to the dynamic runtime for symbolic dims, and says so', () => {
    const m = denseModel();
    m.graph.inputs[0].type = tensorType(DType.FLOAT, ['n', 2]);
    const notes: string[] = [];
    const dir = path.join(tmp, 'symbolic');
    const source = emitTo(dir, m, notes);
    expect(notes.join('\n')).toMatch(/^dynamic module .*input 'x' is float32\[n,2\]/);
    expect(source).toContain('const graph = ');
    const x = Tensor.fromNumbers(DType.FLOAT, [3, 2], [1, 0, 0, 1, 1, 1]);
    const y = fromWire(runInNode(dir, 'net', { x }).second.y);
    // rows: [1, -1] + b → [1.5, -inf]; [2, 0.5] + b → [2.5, -inf]; [3, -0.5] + b → [3.5, -inf]; Relu.
    expect(y.dims).toEqual([6]);
    expect(Array.from(y.data as Float32Array)).toEqual([1.5, 0, 2.5, 0, 3.5, 0]);
  });

  it('falls back to the dynamic runtime when a shape depends on the data', () => {
    const m = new Model(new Map([['', 17]]));
    const g = m.graph;
    const x = g.addInput('x', tensorType(DType.FLOAT, [4]));
    const nz = g.addNode({ opType: 'NonZero', inputs: [x], outputs: ['nz'] }).outputs[0]!;
    g.outputs = [g.addNode({ opType: 'Identity', inputs: [nz], outputs: ['y'] }).outputs[0]!];
    const notes: string[] = [];
    const dir = path.join(tmp, 'nonzero');
    emitTo(dir, m, notes);
    expect(notes.join('\n')).toMatch(/^dynamic module .*shape of 'nz' \(output 0 of NonZero node\) depends on values known only when it runs/);
    const y = fromWire(runInNode(dir, 'net', { x: Tensor.fromNumbers(DType.FLOAT, [4], [0, 3, 0, 1]) }).first.y);
    expect(y.dims).toEqual([1, 2]);
    expect(Array.from(y.data as BigInt64Array)).toEqual([1n, 3n]);
  });

  it.skipIf(!fs.existsSync(path.join(NODE_SUITE_DIR, 'test_loop11')))('carries subgraphs in a dynamic module: test_loop11 gives its expected outputs', () => {
    const test = path.join(NODE_SUITE_DIR, 'test_loop11');
    const data = path.join(test, 'test_data_set_0');
    const model = loadModel(path.join(test, 'model.onnx'));
    const feeds = Object.fromEntries(model.graph.inputs.map((v, i) => [v.name, decodeTensor(fs.readFileSync(path.join(data, `input_${i}.pb`)))]));
    const notes: string[] = [];
    const dir = path.join(tmp, 'loop');
    emitTo(dir, model, notes);
    expect(notes.join('\n')).toMatch(/has a subgraph/);
    const out = runInNode(dir, 'net', feeds).first;
    model.graph.outputs.forEach((v, i) => {
      const expected = decodeTensor(fs.readFileSync(path.join(data, `output_${i}.pb`)));
      const actual = fromWire(out[v.name]);
      expect(actual.dims).toEqual([...expected.dims]);
      actual.toNumbers().forEach((x, j) => expect(x).toBeCloseTo(expected.toNumbers()[j], 5));
    });
  });

  it('refuses a model with an op cpu-js lacks, before writing anything', () => {
    const m = new Model(new Map([['', 17]]));
    const x = m.graph.addInput('x', tensorType(DType.FLOAT, [1]));
    m.graph.outputs = [m.graph.addNode({ opType: 'Frobnicate', inputs: [x], outputs: ['y'] }).outputs[0]!];
    expect(() => emitModule(m, { runtimeDir })).toThrow(expect.objectContaining({ code: 'E_UNSUPPORTED_OP' }));
  });
});

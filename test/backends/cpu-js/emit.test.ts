import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emitModule } from '../../../backends/cpu-js/emit/emit.js';
import { DType } from '../../../src/ir/dtype.js';
import { Model } from '../../../src/ir/model.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { tensorType } from '../../../src/ir/types.js';
import { decodeTensor, loadModel } from '../../../src/onnx/import.js';
import { NODE_SUITE_DIR } from '../../helpers/node-suite.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shears-emit-'));
const runtimeDir = path.join(tmp, 'build');

/** y = Relu(x · W + b) reshaped to [4]; W, b initializers. */
function denseModel(): Model {
  const m = new Model(new Map([['', 17]]));
  const g = m.graph;
  const x = g.addInput('x', tensorType(DType.FLOAT, [2, 2]));
  const w = g.addInitializer('W', Tensor.fromNumbers(DType.FLOAT, [2, 2], [1, -1, 2, 0.5]));
  const b = g.addInitializer('b', Tensor.fromNumbers(DType.FLOAT, [2], [0.5, -Infinity]));
  const shape = g.addInitializer('shape', Tensor.fromNumbers(DType.INT64, [1], [4]));
  const mm = g.addNode({ opType: 'MatMul', inputs: [x, w], outputs: ['mm'] }).outputs[0]!;
  const sum = g.addNode({ opType: 'Add', inputs: [mm, b], outputs: ['sum'] }).outputs[0]!;
  const relu = g.addNode({ opType: 'Relu', inputs: [sum], outputs: ['relu'] }).outputs[0]!;
  g.outputs = [g.addNode({ opType: 'Reshape', inputs: [relu, shape], outputs: ['y'] }).outputs[0]!];
  return m;
}

/** Writes the emitted files to `dir` and runs `script` (an ES module body) beside them with Node. */
function runEmitted(model: Model, dir: string, script: string): unknown {
  for (const f of emitModule(model, { name: 'net', runtimeDir })) {
    const file = path.join(dir, f.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.contents);
  }
  fs.writeFileSync(path.join(dir, 'main.mjs'), script);
  const r = spawnSync(process.execPath, ['main.mjs'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`emitted module failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('cpu-js emit', () => {
  beforeAll(() => {
    // The emitted runtime is compiled JavaScript: build it fresh from the sources under test.
    execFileSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', runtimeDir], { stdio: 'ignore' });
  }, 120_000);

  it('writes a module, a weights file and a runtime that run without shears', () => {
    const dir = path.join(tmp, 'dense');
    const out = runEmitted(
      denseModel(),
      dir,
      `import { load, inputs, outputs } from './net.mjs';
const model = await load();
const result = await model.run({ x: { dims: [2, 2], data: new Float32Array([1, 2, 3, -4]) } });
console.log(JSON.stringify({ inputs, outputs, dims: result.y.dims, y: Array.from(result.y.data) }));`,
    ) as { inputs: { name: string }[]; outputs: { name: string }[]; dims: number[]; y: number[] };
    // x·W = [[5, 0], [-5, -5]]; + b = [[5.5, -inf], [-4.5, -inf]]; Relu.
    expect(out.y).toEqual([5.5, 0, 0, 0]);
    expect(out.dims).toEqual([4]);
    expect(out.inputs.map((v) => v.name)).toEqual(['x']);
    expect(out.outputs.map((v) => v.name)).toEqual(['y']);
    const files = fs.readdirSync(dir);
    expect(files).toEqual(expect.arrayContaining(['net.mjs', 'net.weights.bin', 'net.runtime']));
    expect(fs.statSync(path.join(dir, 'net.weights.bin')).size).toBeGreaterThanOrEqual(16 + 8 + 8);
  });

  it.skipIf(!fs.existsSync(path.join(NODE_SUITE_DIR, 'test_loop11')))('carries subgraphs: test_loop11 gives its expected outputs', () => {
    const dir = path.join(NODE_SUITE_DIR, 'test_loop11');
    const data = path.join(dir, 'test_data_set_0');
    const model = loadModel(path.join(dir, 'model.onnx'));
    const feeds = model.graph.inputs.map((v, i) => [v.name, decodeTensor(fs.readFileSync(path.join(data, `input_${i}.pb`)))] as const);
    const script = `import { load, Tensor } from './net.mjs';
const model = await load();
const feeds = ${JSON.stringify(feeds.map(([name, t]) => ({ name, dtype: t.dtype, dims: t.dims, data: t.toNumbers() })))};
const inputs = Object.fromEntries(feeds.map((f) => [f.name, Tensor.fromNumbers(f.dtype, f.dims, f.data)]));
const result = await model.run(inputs);
console.log(JSON.stringify(Object.values(result).map((t) => ({ dims: t.dims, data: t.toNumbers() }))));`;
    const out = runEmitted(model, path.join(tmp, 'loop'), script) as { dims: number[]; data: number[] }[];
    const expected = model.graph.outputs.map((_, i) => decodeTensor(fs.readFileSync(path.join(data, `output_${i}.pb`))));
    expect(out.map((o) => o.dims)).toEqual(expected.map((t) => [...t.dims]));
    out.forEach((o, i) => o.data.forEach((v, j) => expect(v).toBeCloseTo(expected[i].toNumbers()[j], 5)));
  });

  it('refuses a model with an op cpu-js lacks, before writing anything', () => {
    const m = new Model(new Map([['', 17]]));
    const x = m.graph.addInput('x', tensorType(DType.FLOAT, [1]));
    m.graph.outputs = [m.graph.addNode({ opType: 'Frobnicate', inputs: [x], outputs: ['y'] }).outputs[0]!];
    expect(() => emitModule(m, { runtimeDir })).toThrow(expect.objectContaining({ code: 'E_UNSUPPORTED_OP' }));
  });
});

/**
 * cpu-js worker threads: kernels split across threads must give the same bits as one thread (each
 * output element is still summed whole, in the same order, by one thread), the split must really
 * happen, failures in a worker must surface as errors, and disposed (or forgotten) executables must
 * not keep the process alive. Workers run the compiled runtime in dist/ (npm test builds it first).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileGraph, CpuJsExecutable } from '../../../backends/cpu-js/compile.js';
import { nextJobId, openJob, runClaimed } from '../../../backends/cpu-js/threads/claim.js';
import { convParts } from '../../../backends/cpu-js/threads/conv-split.js';
import { CONTROL_SLOTS, PENDING } from '../../../backends/cpu-js/threads/messages.js';
import { gemmBlocks } from '../../../backends/cpu-js/threads/gemm-split.js';
import { ThreadPool } from '../../../backends/cpu-js/threads/pool.js';
import { MR, NR } from '../../../backends/cpu-js/gemm/microkernel.js';
import { cpuEvaluator } from '../../../backends/cpu-js/evaluator.js';
import type { Attribute } from '../../../src/ir/attribute.js';
import { DType } from '../../../src/ir/dtype.js';
import { Model } from '../../../src/ir/model.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { Dim, tensorType } from '../../../src/ir/types.js';
import { loadModel } from '../../../src/onnx/import.js';
import { runPipeline } from '../../../src/pass/manager.js';
import { randomInputs } from '../../helpers/diff.js';
import { attr, pseudoRandom } from './op-check.js';

const WORKER_ENTRY = 'dist/backends/cpu-js/threads/worker-node.js';
const RESNET18 = 'test/fixtures/.cache/resnet18.onnx';

function f32(dims: number[], seed: number): Tensor {
  return Tensor.fromNumbers(DType.FLOAT, dims, pseudoRandom(dims.reduce((a, b) => a * b, 1), seed));
}

interface Layer {
  op: string;
  /** Constant inputs after the activation (weights, bias). */
  weights: Tensor[];
  attributes?: Attribute[];
  domain?: string;
}

/** x → layer → layer … → y, weights as initializers (so kernels pack them at plan time). */
function chain(input: number[], layers: Layer[]): Model {
  const model = new Model(new Map([['', 17], ['com.microsoft', 1]]));
  const g = model.graph;
  let v = g.addInput('x', tensorType(DType.FLOAT, input as Dim[]));
  layers.forEach((l, i) => {
    const ws = l.weights.map((t, k) => g.addInitializer(`w${i}_${k}`, t));
    const [out] = g.addNode({ opType: l.op, domain: l.domain, inputs: [v, ...ws], outputs: [`t${i}`], attributes: l.attributes ?? [] }).outputs;
    v = out!;
  });
  g.outputs = [v];
  return model;
}

const conv = (c: number, m: number, k: number, seed: number, attributes: Attribute[] = [], group = 1): Layer => ({
  op: 'Conv',
  weights: [f32([m, c / group, k, k], seed), f32([m], seed + 1)],
  attributes: [...attributes, attr.int('group', group)],
});
const relu: Layer = { op: 'Relu', weights: [] };
const pad1 = attr.ints('pads', [1, 1, 1, 1]);

async function outputs(model: Model, threads: number, feeds: Record<string, Tensor>, runs = 2): Promise<Tensor[]> {
  const exe = compileGraph(model.graph, { threads }) as CpuJsExecutable;
  try {
    const results: Tensor[] = [];
    // Two runs: the recording one (fresh buffers) and the planned one (the shared arena).
    for (let r = 0; r < runs; r++) results.push(...(Object.values(await exe.run(feeds)) as Tensor[]));
    return results;
  } finally {
    exe.dispose();
  }
}

function expectBitIdentical(a: Tensor[], b: Tensor[]): void {
  expect(b.length).toBe(a.length);
  a.forEach((t, i) => {
    expect(b[i].dims).toEqual(t.dims);
    const x = new Uint32Array((t.data as Float32Array).slice().buffer);
    const y = new Uint32Array((b[i].data as Float32Array).slice().buffer);
    const first = x.findIndex((bits, k) => bits !== y[k]);
    expect(first, `output ${i} differs first at element ${first}`).toBe(-1);
  });
}

async function expectSameWithTwoThreads(model: Model, minSplits: number): Promise<void> {
  const feeds = { x: f32(model.graph.inputs[0].type!.kind === 'tensor' ? (model.graph.inputs[0].type!.shape as number[]) : [], 7) };
  const single = await outputs(model, 1, feeds);
  const dispatch = vi.spyOn(ThreadPool.prototype, 'dispatch');
  const split = await outputs(model, 2, feeds);
  expect(dispatch.mock.calls.length).toBeGreaterThanOrEqual(minSplits);
  expectBitIdentical(single, split);
}

describe('cpu-js threads: two threads give the bits of one', () => {
  afterEach(() => vi.restoreAllMocks());

  it('finds the compiled worker entry (npm test builds dist/ before the tests)', () => {
    expect(fs.existsSync(WORKER_ENTRY), `${WORKER_ENTRY} is missing: run npm run build`).toBe(true);
  });

  it('Conv 5×5 → Relu → Conv 3×3 stride 2 → FusedConv 1×1 (positions split; arena and fresh outputs)', async () => {
    const fused: Layer = { ...conv(48, 64, 1, 5), op: 'FusedConv', domain: 'com.microsoft', attributes: [attr.string('activation', 'Relu')] };
    await expectSameWithTwoThreads(chain([1, 16, 40, 46], [conv(16, 32, 5, 1, [attr.ints('pads', [2, 2, 2, 2])]), relu, conv(32, 48, 3, 3, [pad1, attr.ints('strides', [2, 2])]), fused]), 6);
  });

  it('Winograd 3×3 convs: many tiles (tiles split), and a 7×7 image (tiles as the GEMM rows, output channels split)', async () => {
    await expectSameWithTwoThreads(chain([1, 16, 40, 46], [conv(16, 32, 3, 41, [pad1]), relu, conv(32, 32, 3, 43, [pad1])]), 4);
    await expectSameWithTwoThreads(chain([1, 128, 7, 7], [conv(128, 128, 3, 45, [pad1])]), 2);
  });

  it('7×7 stride-2 conv through space-to-depth (Winograd F(3×3, 4×4))', async () => {
    await expectSameWithTwoThreads(chain([1, 3, 96, 90], [conv(3, 32, 7, 47, [attr.ints('pads', [3, 3, 3, 3]), attr.ints('strides', [2, 2])])]), 2);
  });

  it('MaxPool 3×3 stride 2 (planes split)', async () => {
    const maxPool: Layer = { op: 'MaxPool', weights: [], attributes: [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])] };
    await expectSameWithTwoThreads(chain([1, 64, 80, 78], [maxPool]), 2);
  });

  it('few positions, many channels (output channels split)', async () => {
    await expectSameWithTwoThreads(chain([1, 1024, 4, 5], [conv(1024, 300, 1, 11)]), 2);
  });

  it('batch of 2 and a grouped conv (images×groups split)', async () => {
    await expectSameWithTwoThreads(chain([2, 24, 40, 40], [conv(24, 48, 3, 21, [pad1], 4), relu, conv(48, 48, 3, 23, [pad1], 2)]), 4);
  });

  it('MatMul and Gemm with constant weights (row and column blocks, C accumulated)', async () => {
    const matmul: Layer = { op: 'MatMul', weights: [f32([300, 200], 31)] };
    const gemm: Layer = { op: 'Gemm', weights: [f32([50, 200], 33), f32([50], 34)], attributes: [attr.int('transB', 1), attr.float('alpha', 0.5)] };
    await expectSameWithTwoThreads(chain([120, 300], [matmul, relu, gemm]), 2);
    const wide: Layer = { op: 'MatMul', weights: [f32([400, 900], 35)] };
    await expectSameWithTwoThreads(chain([5, 400], [wide]), 2);
  });

  it.skipIf(!fs.existsSync(RESNET18))('ResNet-18 (simplify-optimized)', async () => {
    const model = loadModel(RESNET18);
    runPipeline(model, 'simplify', { evaluator: cpuEvaluator, log: () => {} });
    const feeds = randomInputs(model);
    const single = await outputs(model, 1, feeds, 1);
    const split = await outputs(model, 2, feeds, 2);
    expectBitIdentical(single, split.slice(0, 1));
    expectBitIdentical(single, split.slice(1));
  });
});

describe('cpu-js threads: work split', () => {
  const covers = (total: number, ranges: [number, number][]) => {
    let next = 0;
    for (const [a, b] of ranges) {
      expect(a).toBe(next);
      expect(b).toBeGreaterThan(a);
      next = b;
    }
    expect(next).toBe(total);
  };

  it('conv parts (a few per thread) tile the output exactly, channel cuts on MR rows, position cuts on NR columns', () => {
    for (const [planes, Mg, positions, threads] of [[1, 64, 3136, 2], [1, 512, 49, 2], [1, 512, 20, 2], [1, 7, 5, 3], [2, 64, 100, 2], [32, 1, 196, 2], [3, 100, 9, 2]]) {
      const parts = convParts(planes, Mg, positions, threads);
      expect(parts.length).toBeGreaterThanOrEqual(Math.min(threads, planes * Math.ceil(Mg / MR) * Math.ceil(positions / NR)));
      expect(parts.length).toBeLessThanOrEqual(4 * threads);
      const byPlane = parts.every((p) => p.m0 === 0 && p.m1 === Mg && p.j0 === 0 && p.j1 === positions);
      const byRows = parts.every((p) => p.p0 === 0 && p.p1 === planes && p.j0 === 0 && p.j1 === positions && p.m0 % MR === 0);
      const byCols = parts.every((p) => p.p0 === 0 && p.p1 === planes && p.m0 === 0 && p.m1 === Mg && p.j0 % NR === 0);
      expect(byPlane || byRows || byCols, JSON.stringify(parts)).toBe(true);
      if (byPlane) covers(planes, parts.map((p) => [p.p0, p.p1]));
      else if (byRows) covers(Mg, parts.map((p) => [p.m0, p.m1]));
      else covers(positions, parts.map((p) => [p.j0, p.j1]));
    }
    // 7 column panels (3 or more per thread): by positions, one panel a part, no patches built twice.
    expect(convParts(1, 512, 49, 2).map((p) => [p.m0, p.m1, p.j1 - p.j0])).toEqual([...new Array(6).fill([0, 512, 8]), [0, 512, 1]]);
    // 3 column panels split 2/1; 86 row panels split evenly, into parts of at least 8 panels.
    const late = convParts(1, 512, 20, 2);
    expect(late.every((p) => p.j0 === 0 && p.j1 === 20)).toBe(true);
    expect(late.length).toBe(8);
    expect(convParts(1, 64, 3136, 2).map((p) => p.j1 - p.j0)).toEqual(new Array(8).fill(392));
  });

  it('GEMM blocks tile C exactly', () => {
    for (const [M, N, threads] of [[120, 50, 2], [5, 900, 2], [1, 1000, 2], [64, 64, 3]]) {
      const blocks = gemmBlocks(M, N, threads);
      const byRows = blocks.every((b) => b.cols[0] === 0 && b.cols[1] === N && b.rows[0] % MR === 0);
      if (byRows) covers(M, blocks.map((b) => b.rows));
      else covers(N, blocks.map((b) => b.cols));
    }
  });
});

describe('cpu-js threads: claiming parts', () => {
  const control = () => new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));

  it('every part once, then none; a late reader of an older job claims nothing from the running one', () => {
    const c = control();
    openJob(c, 7, 5);
    const done: number[] = [];
    runClaimed(c, 7, 5, (i) => void done.push(i));
    expect(done).toEqual([0, 1, 2, 3, 4]);
    expect(Atomics.load(c, PENDING)).toBe(0);
    runClaimed(c, 7, 5, (i) => void done.push(i));
    expect(done.length).toBe(5);
    // Job 7 + 2^15 has the same low bits in the claim counter; the job id still tells them apart.
    for (const running of [8, 7 + (1 << 15)]) {
      openJob(c, running, 3);
      runClaimed(c, 7, 3, (i) => void done.push(i));
      expect(done.length, `job ${running}`).toBe(5);
    }
    expect(nextJobId(0x7fffffff)).toBe(0);
  });
});

describe('cpu-js threads: failures and shutdown', () => {
  it('a failure in a worker or on the calling thread surfaces as an error there, and the pool stays usable', async () => {
    const pool = new ThreadPool(2);
    await pool.start();
    try {
      expect(pool.size).toBe(2);
      const block = { rows: [0, 1] as [number, number], cols: [0, 1] as [number, number] };
      const ep = { alpha: 1, accumulate: false, bias: new Float64Array(1), biasOff: 0, lo: -Infinity, hi: Infinity };
      const bogus = { type: 'gemm' as const, task: 999, a: { data: new Float32Array(1), offset: 0, rowStride: 1, colStride: 1 }, C: new Float32Array(1), cOff: 0, ldc: 1, ep, blocks: new Array(50).fill(block) };
      // This thread sleeps in each part it claims, so the worker claims parts too, and fails in them.
      const nap = new Int32Array(new SharedArrayBuffer(4));
      const mine: number[] = [];
      expect(() => pool.dispatch((h) => ({ ...bogus, ...h }), 50, (i) => (mine.push(i), Atomics.wait(nap, 0, 0, 20)))).toThrow(/worker thread has no task 999/);
      expect(mine.length).toBeLessThan(50);
      expect(() => pool.dispatch((h) => ({ ...bogus, ...h, blocks: [] }), 1, () => { throw new Error('boom'); })).toThrow(/boom/);
      const ran: number[] = [];
      pool.dispatch((h) => ({ ...bogus, ...h, blocks: [] }), 3, (i) => void ran.push(i));
      expect(ran.sort()).toEqual([0, 1, 2]);
    } finally {
      pool.terminate();
    }
  });

  it('rejects a thread count that is not a whole number ≥ 0', () => {
    expect(() => compileGraph(chain([1, 4], [relu]).graph, { threads: -1 })).toThrow(/threads must be a whole number/);
    expect(() => compileGraph(chain([1, 4], [relu]).graph, { threads: 1.5 })).toThrow(/threads must be a whole number/);
  });

  it('the process exits after a threaded run: disposed, never disposed, or disposed while the workers start', () => {
    const endings = { disposed: 'const y = (await exe.run(feeds)).y; exe.dispose();', undisposed: 'const y = (await exe.run(feeds)).y;', 'disposed while starting': 'const running = exe.run(feeds); exe.dispose(); const y = (await running).y;' };
    for (const [name, ending] of Object.entries(endings)) {
      const script = `
        import { compile, Model, Tensor, DType, tensorType } from './dist/src/index.js';
        const m = new Model(new Map([['', 17]]));
        const g = m.graph;
        const x = g.addInput('x', tensorType(DType.FLOAT, [1, 32, 40, 40]));
        const w = g.addInitializer('w', Tensor.fromNumbers(DType.FLOAT, [64, 32, 3, 3], Array.from({ length: 64 * 32 * 9 }, (_, i) => Math.sin(i))));
        g.outputs = g.addNode({ opType: 'Conv', inputs: [x, w], outputs: ['y'], attributes: [] }).outputs;
        const exe = compile(m, { threads: 2 });
        const feeds = { x: Tensor.fromNumbers(DType.FLOAT, [1, 32, 40, 40], Array.from({ length: 51200 }, (_, i) => Math.cos(i))) };
        ${ending}
        console.log('ran', y.dims.join('x'));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
      expect(r.error, `${name}: the child process hung`).toBeUndefined();
      expect(r.stderr, name).toBe('');
      expect(r.stdout.trim(), name).toBe('ran 1x64x38x38');
      expect(r.status, name).toBe(0);
    }
  });
});

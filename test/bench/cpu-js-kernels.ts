/**
 * Targets (issue: cpu-js performance kernels): GFLOP/s of cpu-js, onnxruntime-web's wasm back end
 * (SIMD, 1 thread) and a naive loop on MatMul 512×512×512 and on a 3×3 Conv 64→64 over 56×56
 * (pads 1: ResNet's layer1 convolution). cpu-js runs one-node models through compileGraph, as a
 * model would; a weight given as a constant is packed at plan time (and the 3×3 Conv takes the
 * Winograd path), a weight given as an input is packed per run (im2col + GEMM for the Conv).
 * GFLOP/s counts 2 FLOPs per multiply-add of the direct algorithm, whatever the kernel does.
 */
import * as os from 'node:os';
import { DType } from '../../src/ir/dtype.js';
import { Model } from '../../src/ir/model.js';
import { Tensor } from '../../src/ir/tensor.js';
import type { Attribute } from '../../src/ir/attribute.js';
import { encodeModel } from '../../src/onnx/export.js';
import { seededRandom } from '../../src/util/random.js';
import { Bench, ms, Table } from './bench.js';
import { cpuJs, Engine, interleaved, ortNodeCpu, ortWebWasm } from './cpu-js-models.js';

function randomTensor(dims: number[], seed: number): Tensor {
  const random = seededRandom(seed);
  return new Tensor(DType.FLOAT, dims, Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1));
}

/** One node over x0 (an input) and x1 (a constant weight when `constantWeight`, else an input). */
function oneNode(op: string, x: Tensor, w: Tensor, constantWeight: boolean, attributes: Attribute[] = []): { model: Model; feeds: Record<string, Tensor> } {
  const model = new Model(new Map([['', 17]]));
  const g = model.graph;
  const feeds: Record<string, Tensor> = { x0: x };
  const x0 = g.addInput('x0', { kind: 'tensor', dtype: DType.FLOAT, shape: [...x.dims] });
  let x1;
  if (constantWeight) x1 = g.addInitializer('x1', new Tensor(DType.FLOAT, w.dims, w.data));
  else {
    x1 = g.addInput('x1', { kind: 'tensor', dtype: DType.FLOAT, shape: [...w.dims] });
    feeds.x1 = w;
  }
  const node = g.addNode({ opType: op, inputs: [x0, x1], outputs: ['y'], attributes });
  g.outputs = [node.outputs[0]!];
  return { model, feeds };
}

function naiveMatmul(a: Float32Array, b: Float32Array, c: Float32Array, n: number): void {
  c.fill(0);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
}

/** Direct 3×3, stride 1, pad 1 convolution of one image. */
function naiveConv3x3(x: Float32Array, w: Float32Array, y: Float32Array, C: number, M: number, H: number, W: number): void {
  for (let m = 0; m < M; m++) {
    for (let h = 0; h < H; h++) {
      for (let v = 0; v < W; v++) {
        let acc = 0;
        for (let c = 0; c < C; c++) {
          for (let kh = 0; kh < 3; kh++) {
            const ih = h + kh - 1;
            if (ih < 0 || ih >= H) continue;
            for (let kw = 0; kw < 3; kw++) {
              const iw = v + kw - 1;
              if (iw >= 0 && iw < W) acc += x[(c * H + ih) * W + iw] * w[((m * C + c) * 3 + kh) * 3 + kw];
            }
          }
        }
        y[(m * H + h) * W + v] = acc;
      }
    }
  }
}

function plain(name: string, fn: () => void): Engine {
  return { name, run: async () => fn(), dispose: () => {} };
}

async function kernelTable(title: string, flops: number, engines: Engine[], notes: string[]): Promise<Table> {
  const load = os.loadavg()[0].toFixed(2);
  let t;
  try {
    t = await interleaved(engines);
  } finally {
    for (const e of engines) await e.dispose();
  }
  const web = t[engines.findIndex((e) => e.name.startsWith('onnxruntime-web'))];
  return {
    title,
    columns: ['engine', 'median', 'GFLOP/s', 'CPU time per run', '× ort-web wasm time'],
    rows: engines.map((e, k) => [e.name, ms(t[k].wall), (flops / t[k].wall / 1e6).toFixed(2), ms(t[k].cpu), (t[k].wall / web.wall).toFixed(2)]),
    notes: [...notes, `median of 7 interleaved runs after 2 warm-ups; 1-minute load average ${load} on ${os.availableParallelism()} shared cores`],
  };
}

async function matmul(): Promise<Table> {
  const n = 512;
  const a = randomTensor([n, n], 1);
  const b = randomTensor([n, n], 2);
  const constant = oneNode('MatMul', a, b, true);
  const input = oneNode('MatMul', a, b, false);
  const c = new Float32Array(n * n);
  const bytes = encodeModel(input.model).bytes;
  return kernelTable(`MatMul ${n}×${n}×${n} (${((2 * n ** 3) / 1e6).toFixed(0)} MFLOP)`, 2 * n ** 3, [
    cpuJs('cpu-js, B a constant (packed at plan time)', constant.model, constant.feeds, 1),
    cpuJs('cpu-js, B an input (packed per run)', input.model, input.feeds, 1),
    await ortWebWasm(bytes, input.feeds),
    await ortNodeCpu(bytes, input.feeds, 1),
    plain('naive i-k-j triple loop (JS)', () => naiveMatmul(a.data as Float32Array, b.data as Float32Array, c, n)),
  ], ['cpu-js: 6×8 register-tiled microkernel over packed panels (backends/cpu-js/gemm)']);
}

async function conv(): Promise<Table> {
  const [C, M, H, W] = [64, 64, 56, 56];
  const x = randomTensor([1, C, H, W], 3);
  const w = randomTensor([M, C, 3, 3], 4);
  const pads = [{ name: 'pads', type: 'ints', value: [1, 1, 1, 1] } as Attribute];
  const constant = oneNode('Conv', x, w, true, pads);
  const input = oneNode('Conv', x, w, false, pads);
  const y = new Float32Array(M * H * W);
  const flops = 2 * M * C * 9 * H * W;
  const bytes = encodeModel(input.model).bytes;
  return kernelTable(`Conv 3×3, ${C}→${M} channels, 56×56, pads 1 (${(flops / 1e6).toFixed(0)} MFLOP direct)`, flops, [
    cpuJs('cpu-js, constant weights (Winograd F(4×4, 3×3))', constant.model, constant.feeds, 1),
    cpuJs('cpu-js, weights an input (im2col + GEMM)', input.model, input.feeds, 1),
    await ortWebWasm(bytes, input.feeds),
    await ortNodeCpu(bytes, input.feeds, 1),
    plain('naive direct loop (JS)', () => naiveConv3x3(x.data as Float32Array, w.data as Float32Array, y, C, M, H, W)),
  ], ['GFLOP/s of the Winograd row is direct-convolution FLOPs over its time (it does 2.25 multiplies per output where direct does 9)']);
}

export const cpuJsKernelsBench: Bench = {
  name: 'cpu-js-kernels',
  async run(): Promise<Table[]> {
    return [await matmul(), await conv()];
  },
};

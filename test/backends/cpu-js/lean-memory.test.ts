import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../backends/cpu-js/compile.js';
import { DType } from '../../../src/ir/dtype.js';
import { Model } from '../../../src/ir/model.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { tensorType } from '../../../src/ir/types.js';
import { encodeModel } from '../../../src/onnx/export.js';
import { seededRandom } from '../../../src/util/random.js';
import { compareOutputs, randomInputs } from '../../helpers/diff.js';
import { runOrt } from '../../helpers/ort.js';

const random = seededRandom(7);
const weight = (dims: number[], name: string): Tensor => Tensor.fromNumbers(DType.FLOAT, dims, Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => random() - 0.5), name);

/**
 * Every weight kernel lean mode changes, batch 2: a 3×3 conv (Winograd in fast mode), a 1×1 conv,
 * Gemm with a transposed weight and per-column bias (read in place), Gemm with a plain weight and a
 * full C, MatMul with a constant weight (both packed on each run).
 */
function weightKernels(): Model {
  const m = new Model(new Map([['', 17]]));
  const g = m.graph;
  const x = g.addInput('x', tensorType(DType.FLOAT, [2, 8, 10, 10]));
  const w = (dims: number[], name: string) => g.addInitializer(name, weight(dims, name));
  const node = (opType: string, inputs: Parameters<typeof g.addNode>[0]['inputs'], out: string, attributes: Parameters<typeof g.addNode>[0]['attributes'] = []) =>
    g.addNode({ opType, inputs, outputs: [out], attributes }).outputs[0]!;
  const c1 = node('Conv', [x, w([16, 8, 3, 3], 'w1'), w([16], 'b1')], 'c1', [{ name: 'pads', type: 'ints', value: [1, 1, 1, 1] }]);
  const r1 = node('Relu', [c1], 'r1');
  const c2 = node('Conv', [r1, w([4, 16, 1, 1], 'w2')], 'c2');
  const flat = node('Flatten', [c2], 'flat');
  const linear = node('Gemm', [flat, w([5, 400], 'w3'), w([5], 'b3')], 'linear', [{ name: 'transB', type: 'int', value: 1 }]);
  const plain = node('Gemm', [flat, w([400, 3], 'w4'), w([2, 3], 'c4')], 'plain', [{ name: 'alpha', type: 'float', value: 0.5 }]);
  const matmul = node('MatMul', [flat, w([400, 6], 'w5')], 'matmul');
  g.outputs = [linear, plain, matmul];
  return m;
}

describe('cpu-js lean memory mode', () => {
  it('computes what onnxruntime-node does, as fast mode does', async () => {
    const model = weightKernels();
    const feeds = randomInputs(model);
    const expected = await runOrt(encodeModel(model).bytes, feeds);
    for (const memory of ['lean', 'fast'] as const) {
      const outputs = (await compileGraph(model.graph, { memory }).run(feeds)) as Record<string, Tensor>;
      expect(compareOutputs(expected, outputs), memory).toBeUndefined();
    }
  });

  it('refuses an unknown mode', () => {
    expect(() => compileGraph(weightKernels().graph, { memory: 'small' as 'lean' })).toThrow(/memory mode 'small' is not one of fast, lean/);
  });
});

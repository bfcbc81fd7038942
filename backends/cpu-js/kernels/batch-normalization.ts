/**
 * BatchNormalization over channel axis 1: y = (x − mean)/√(var + ε)·scale + B. Inference uses the
 * given mean and var; training_mode (opset 14+) uses the batch's own statistics (population
 * variance over every axis but 1) and also returns running_mean/var = given·momentum + batch·(1 −
 * momentum), as the ONNX reference does. Opsets before 9 (is_test, spatial) are refused unless the
 * attributes mean the same thing.
 */
import { DType } from '../../../src/ir/dtype.js';
import type { Node } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { shapeError } from '../conv/geometry.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

function supports(node: Node): true | string {
  if (node.getInt('spatial', 1) !== 1) return 'spatial=0 (per-activation statistics) is not supported by cpu-js';
  const training = node.opset >= 14 ? node.getInt('training_mode', 0) !== 0 : node.outputs.slice(1).some((v) => v !== null);
  if (training && node.opset < 14) return `training outputs of opset ${node.opset} BatchNormalization are not supported by cpu-js`;
  return true;
}

registerKernel({
  op: 'BatchNormalization',
  supports,
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (x.dtype !== DType.FLOAT && x.dtype !== DType.DOUBLE) throw unsupportedType(node, x.dtype);
    if (x.dims.length < 2) throw shapeError(node, `input of rank ${x.dims.length} has no channel axis`);
    const [N, C] = x.dims;
    for (let i = 1; i < 5; i++) {
      const t = tensorTypeOf(node, ctx.inputTypes[i], i);
      if (elementCount(t.dims) !== C) throw shapeError(node, `input ${i} has ${elementCount(t.dims)} entries for ${C} channels`);
    }
    const inner = elementCount(x.dims.slice(2));
    const eps = node.getFloat('epsilon', 1e-5);
    const momentum = node.getFloat('momentum', 0.9);
    const training = node.opset >= 14 && node.getInt('training_mode', 0) !== 0;
    const mul = new Float64Array(C);
    const add = new Float64Array(C);
    return (inputs, rc) => {
      const X = tensorInput(node, inputs, 0).data as Float32Array;
      const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => tensorInput(node, inputs, i).data as Float32Array);
      const out = rc.output(0, x.dtype, x.dims);
      const Y = out.data as Float32Array;
      let runningMean = null;
      let runningVar = null;
      if (training) {
        runningMean = rc.output(1, x.dtype, [C]);
        runningVar = rc.output(2, x.dtype, [C]);
        const count = N * inner;
        for (let c = 0; c < C; c++) {
          let sum = 0;
          for (let n = 0; n < N; n++) for (let i = (n * C + c) * inner, end = i + inner; i < end; i++) sum += X[i];
          const m = sum / count;
          let sq = 0;
          for (let n = 0; n < N; n++) {
            for (let i = (n * C + c) * inner, end = i + inner; i < end; i++) {
              const d = X[i] - m;
              sq += d * d;
            }
          }
          const v = sq / count;
          runningMean.data[c] = mean[c] * momentum + m * (1 - momentum);
          runningVar.data[c] = variance[c] * momentum + v * (1 - momentum);
          mul[c] = scale[c] / Math.sqrt(v + eps);
          add[c] = bias[c] - m * mul[c];
        }
      } else {
        for (let c = 0; c < C; c++) {
          mul[c] = scale[c] / Math.sqrt(variance[c] + eps);
          add[c] = bias[c] - mean[c] * mul[c];
        }
      }
      for (let n = 0, i = 0; n < N; n++) {
        for (let c = 0; c < C; c++) {
          const a = mul[c];
          const b = add[c];
          for (const end = i + inner; i < end; i++) Y[i] = X[i] * a + b;
        }
      }
      return training ? [out, runningMean, runningVar] : [out];
    };
  },
});

/**
 * MeanVarianceNormalization: y = (x − mean) / (√variance + 1e-9) with mean and variance over
 * `axes` (default [0, 2, 3]), as the op's ONNX function defines it.
 */
import { DType } from '../../../src/ir/dtype.js';
import { normalizeAxes } from '../axes.js';
import { registerKernel } from '../kernel.js';
import { reductionLayout } from '../reduce/layout.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

const EPSILON = 1e-9;

registerKernel({
  op: 'MeanVarianceNormalization',
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (x.dtype !== DType.FLOAT && x.dtype !== DType.DOUBLE) throw unsupportedType(node, x.dtype);
    const axes = normalizeAxes(node, node.getInts('axes') ?? [0, 2, 3], x.dims.length);
    const { kept, reduced } = reductionLayout(x.dims, axes);
    const count = reduced.length;
    return (inputs, rc) => {
      const X = tensorInput(node, inputs, 0).data as Float32Array;
      const out = rc.output(0, x.dtype, x.dims);
      const Y = out.data as Float32Array;
      for (let k = 0; k < kept.length; k++) {
        const base = kept[k];
        let sum = 0;
        for (let r = 0; r < count; r++) sum += X[base + reduced[r]];
        const mean = sum / count;
        let sq = 0;
        for (let r = 0; r < count; r++) {
          const d = X[base + reduced[r]] - mean;
          sq += d * d;
        }
        const scale = 1 / (Math.sqrt(sq / count) + EPSILON);
        for (let r = 0; r < count; r++) Y[base + reduced[r]] = (X[base + reduced[r]] - mean) * scale;
      }
      return [out];
    };
  },
});

/**
 * GroupNormalization: channels split into num_groups groups; each (batch, group) block is normalized
 * by its mean and variance, then scaled and shifted per channel (scale/bias of C entries, opset 21)
 * or per group (num_groups entries, opset 18); the tensors' length says which.
 */
import { DType } from '../../../src/ir/dtype.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { shapeError } from '../conv/geometry.js';
import { registerKernel } from '../kernel.js';
import { moments } from '../norm/moments.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

registerKernel({
  op: 'GroupNormalization',
  since: 18,
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (x.dtype !== DType.FLOAT && x.dtype !== DType.DOUBLE) throw unsupportedType(node, x.dtype);
    if (x.dims.length < 2) throw shapeError(node, `input of rank ${x.dims.length} has no channel axis`);
    const [N, C] = x.dims;
    const G = node.getInt('num_groups', 0);
    if (!(G >= 1) || C % G !== 0) throw shapeError(node, `num_groups ${G} does not divide ${C} channels`);
    const paramSize = elementCount(tensorTypeOf(node, ctx.inputTypes[1], 1).dims);
    if ((paramSize !== C && paramSize !== G) || elementCount(tensorTypeOf(node, ctx.inputTypes[2], 2).dims) !== paramSize) throw shapeError(node, `scale and bias must both have ${C} (per channel) or ${G} (per group) entries`);
    const perChannel = paramSize === C;
    const spatial = elementCount(x.dims.slice(2));
    const channelsPerGroup = C / G;
    const eps = node.getFloat('epsilon', 1e-5);
    const m = { mean: 0, variance: 0 };
    return (inputs, rc) => {
      const X = tensorInput(node, inputs, 0).data as Float32Array;
      const S = tensorInput(node, inputs, 1).data as Float32Array;
      const B = tensorInput(node, inputs, 2).data as Float32Array;
      const out = rc.output(0, x.dtype, x.dims);
      const Y = out.data as Float32Array;
      for (let n = 0; n < N; n++) {
        for (let g = 0; g < G; g++) {
          const off = (n * C + g * channelsPerGroup) * spatial;
          moments(X, off, channelsPerGroup * spatial, m);
          const inv = 1 / Math.sqrt(m.variance + eps);
          for (let k = 0; k < channelsPerGroup; k++) {
            const p = perChannel ? g * channelsPerGroup + k : g;
            const a = S[p] * inv;
            const b = B[p] - m.mean * a;
            for (let i = off + k * spatial, end = i + spatial; i < end; i++) Y[i] = X[i] * a + b;
          }
        }
      }
      return [out];
    };
  },
});

/** InstanceNormalization: each (batch, channel) plane normalized by its own mean and variance, then scale[c]·x̂ + B[c]. */
import { DType } from '../../../src/ir/dtype.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { shapeError } from '../conv/geometry.js';
import { registerKernel } from '../kernel.js';
import { moments } from '../norm/moments.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

registerKernel({
  op: 'InstanceNormalization',
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (x.dtype !== DType.FLOAT && x.dtype !== DType.DOUBLE) throw unsupportedType(node, x.dtype);
    if (x.dims.length < 3) throw shapeError(node, `input of rank ${x.dims.length} has no spatial axes`);
    const [N, C] = x.dims;
    for (const i of [1, 2]) if (elementCount(tensorTypeOf(node, ctx.inputTypes[i], i).dims) !== C) throw shapeError(node, `input ${i} must have ${C} entries`);
    const inner = elementCount(x.dims.slice(2));
    const eps = node.getFloat('epsilon', 1e-5);
    const m = { mean: 0, variance: 0 };
    return (inputs, rc) => {
      const X = tensorInput(node, inputs, 0).data as Float32Array;
      const scale = tensorInput(node, inputs, 1).data as Float32Array;
      const bias = tensorInput(node, inputs, 2).data as Float32Array;
      const out = rc.output(0, x.dtype, x.dims);
      const Y = out.data as Float32Array;
      for (let plane = 0; plane < N * C; plane++) {
        const c = plane % C;
        const off = plane * inner;
        moments(X, off, inner, m);
        const a = scale[c] / Math.sqrt(m.variance + eps);
        const b = bias[c] - m.mean * a;
        for (let i = off, end = off + inner; i < end; i++) Y[i] = X[i] * a + b;
      }
      return [out];
    };
  },
});

/**
 * LayerNormalization: each run of the trailing axes from `axis` on is normalized by its mean and
 * variance, then scaled and shifted by Scale and B (broadcast to those axes). The optional Mean and
 * InvStdDev outputs have the input's leading dims and 1s after.
 */
import { DType } from '../../../src/ir/dtype.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis, stridesOf } from '../axes.js';
import { shapeError } from '../conv/geometry.js';
import { offsetsOf } from '../index-walk.js';
import { registerKernel } from '../kernel.js';
import { moments } from '../norm/moments.js';
import { optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

/** For each position of `dims`, the offset of its element in a tensor of `own` dims broadcast to them. */
function broadcastOffsets(node: Parameters<typeof shapeError>[0], own: readonly number[], dims: readonly number[]): Int32Array {
  if (own.length > dims.length || own.some((d, i) => d !== 1 && d !== dims[dims.length - own.length + i])) {
    throw shapeError(node, `[${own.join(',')}] does not broadcast to the normalized dims [${dims.join(',')}]`);
  }
  const ownStrides = stridesOf(own);
  const strides = dims.map((_, i) => {
    const j = i - (dims.length - own.length);
    return j >= 0 && own[j] !== 1 ? ownStrides[j] : 0;
  });
  return offsetsOf(dims, strides);
}

registerKernel({
  op: 'LayerNormalization',
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (x.dtype !== DType.FLOAT && x.dtype !== DType.DOUBLE) throw unsupportedType(node, x.dtype);
    const axis = normalizeAxis(node, node.getInt('axis', -1), x.dims.length);
    const normDims = x.dims.slice(axis);
    const outer = elementCount(x.dims.slice(0, axis));
    const inner = elementCount(normDims);
    const scaleAt = broadcastOffsets(node, tensorTypeOf(node, ctx.inputTypes[1], 1).dims, normDims);
    const biasAt = ctx.inputTypes[2] ? broadcastOffsets(node, tensorTypeOf(node, ctx.inputTypes[2], 2).dims, normDims) : null;
    const eps = node.getFloat('epsilon', 1e-5);
    const statDims = [...x.dims.slice(0, axis), ...normDims.map(() => 1)];
    const wanted = (i: number) => node.outputs.length > i && node.outputs[i] !== null;
    const m = { mean: 0, variance: 0 };
    return (inputs, rc) => {
      const X = tensorInput(node, inputs, 0).data as Float32Array;
      const S = tensorInput(node, inputs, 1).data as Float32Array;
      const B = optionalTensor(inputs, 2)?.data as Float32Array | undefined;
      const out = rc.output(0, x.dtype, x.dims);
      const Y = out.data as Float32Array;
      const meanOut = wanted(1) ? rc.output(1, DType.FLOAT, statDims) : null;
      const invOut = wanted(2) ? rc.output(2, DType.FLOAT, statDims) : null;
      for (let o = 0; o < outer; o++) {
        const off = o * inner;
        moments(X, off, inner, m);
        const inv = 1 / Math.sqrt(m.variance + eps);
        if (meanOut) (meanOut.data as Float32Array)[o] = m.mean;
        if (invOut) (invOut.data as Float32Array)[o] = inv;
        for (let i = 0; i < inner; i++) Y[off + i] = (X[off + i] - m.mean) * inv * S[scaleAt[i]] + (B && biasAt ? B[biasAt[i]] : 0);
      }
      return [out, meanOut, invOut].slice(0, node.outputs.length);
    };
  },
});

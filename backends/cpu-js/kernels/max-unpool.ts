/**
 * MaxUnpool: scatters each value of X to the position its index names (MaxPool's flat Indices) in a
 * zero output of the shape MaxPool's geometry inverts to, (in − 1)·stride + kernel − pads. When an
 * output_shape input asks for a larger output, each index keeps its coordinates in that inverted
 * shape (the output is the inverted one padded at the end), as the ONNX reference and its node test
 * do; onnxruntime instead writes the flat index into the larger output.
 */
import { DType } from '../../../src/ir/dtype.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { shapeError } from '../conv/geometry.js';
import { registerKernel } from '../kernel.js';
import { intValues, optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

registerKernel({
  op: 'MaxUnpool',
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (x.dtype !== DType.FLOAT && x.dtype !== DType.DOUBLE) throw unsupportedType(node, x.dtype);
    const rank = x.dims.length - 2;
    const kernel = node.getInts('kernel_shape');
    if (!kernel || kernel.length !== rank) throw shapeError(node, `kernel_shape must have ${rank} entries`);
    const strides = node.getInts('strides') ?? kernel.map(() => 1);
    const pads = node.getInts('pads') ?? new Array<number>(2 * rank).fill(0);
    const inferred = [x.dims[0], x.dims[1], ...x.dims.slice(2).map((d, i) => (d - 1) * strides[i] + kernel[i] - pads[i] - pads[i + rank])];
    const count = elementCount(x.dims);
    const inferredCount = elementCount(inferred);
    return (inputs, rc) => {
      const X = tensorInput(node, inputs, 0).data as Float32Array;
      const I = tensorInput(node, inputs, 1).data as BigInt64Array;
      const shapeInput = optionalTensor(inputs, 2);
      const outDims = shapeInput ? intValues(shapeInput) : inferred;
      if (outDims.length !== x.dims.length || outDims.some((d) => !(d >= 0))) throw shapeError(node, `output shape [${outDims.join(',')}] is not a shape of rank ${x.dims.length}`);
      const out = rc.output(0, x.dtype, outDims);
      const Y = out.data as Float32Array;
      Y.fill(0);
      const reshaped = outDims.some((d, i) => d !== inferred[i]);
      for (let i = 0; i < count; i++) {
        const flat = Number(I[i]);
        if (!(flat >= 0 && flat < inferredCount)) throw shapeError(node, `index ${flat} is outside an unpooled output of ${inferredCount} elements`);
        const at = reshaped ? relocate(flat, inferred, outDims) : flat;
        if (at >= 0) Y[at] = X[i];
      }
      return [out];
    };
  },
});

/** The flat offset in `to` of the element at flat offset `flat` in `from` (same rank), or -1 when `to` lacks it. */
function relocate(flat: number, from: readonly number[], to: readonly number[]): number {
  let at = 0;
  let stride = 1;
  for (let d = from.length - 1; d >= 0; d--) {
    const i = flat % from[d];
    flat = (flat - i) / from[d];
    if (i >= to[d]) return -1;
    at += i * stride;
    stride *= to[d];
  }
  return at;
}

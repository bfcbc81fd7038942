/**
 * ConvInteger: Conv of (x − x_zero_point) and (w − w_zero_point) in int32. Padding contributes 0
 * after the shift (it holds the zero point, as in onnxruntime). Shares Conv's GEMM path; 8-bit
 * differences and their sums are exact in float32 panels and double accumulators.
 */
import { DType } from '../../../src/ir/dtype.js';
import { ConvGemm } from '../conv/conv-gemm.js';
import { convOutputDims, convShape } from '../conv/conv-node.js';
import { shapeError } from '../conv/geometry.js';
import { registerKernel } from '../kernel.js';
import { optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';
import { zeroPoint } from './matmul-integer.js';

registerKernel({
  op: 'ConvInteger',
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const w = tensorTypeOf(node, ctx.inputTypes[1], 1);
    for (const t of [x, w]) if (t.dtype !== DType.UINT8 && t.dtype !== DType.INT8) throw unsupportedType(node, t.dtype);
    const shape = convShape(node, x.dims, w.dims);
    const conv = new ConvGemm(shape, { panels: Float32Array, family: 'i32', lo: -Infinity, hi: Infinity });
    const bias = new Float64Array(shape.outChannels);
    const outDims = convOutputDims(shape);
    const fail = (m: string) => shapeError(node, m);
    return (inputs, rc) => {
      const xShift = zeroPoint(optionalTensor(inputs, 2) as { data: Uint8Array } | null, 1, 'x_zero_point', fail) as number;
      const wShift = zeroPoint(optionalTensor(inputs, 3) as { data: Uint8Array } | null, shape.outChannels, 'w_zero_point', fail);
      const out = rc.output(0, DType.INT32, outDims);
      conv.run(tensorInput(node, inputs, 0).data as Uint8Array, xShift, tensorInput(node, inputs, 1).data as Uint8Array, wShift, bias, out.data as Int32Array);
      return [out];
    };
  },
});

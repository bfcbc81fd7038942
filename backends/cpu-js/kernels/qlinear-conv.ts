/**
 * QLinearConv: quantized convolution requantized to the output's scale and zero point, with an
 * optional int32 bias and per-output-channel weight scales and zero points. The integer
 * convolution runs on ConvInteger's GEMM path.
 */
import { elementCount } from '../../../src/ir/tensor.js';
import { ConvGemm } from '../conv/conv-gemm.js';
import { biasValues, convOutputDims, convShape } from '../conv/conv-node.js';
import { shapeError } from '../conv/geometry.js';
import { registerKernel } from '../kernel.js';
import { QUANTIZED_RANGE, requantScales, requantize } from '../requantize.js';
import { optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';
import { zeroPoint } from './matmul-integer.js';

registerKernel({
  op: 'QLinearConv',
  since: 10,
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const w = tensorTypeOf(node, ctx.inputTypes[3], 3);
    const yType = tensorTypeOf(node, ctx.inputTypes[7], 7).dtype;
    for (const t of [x.dtype, w.dtype, yType]) if (!QUANTIZED_RANGE[t]) throw unsupportedType(node, t);
    const [lo, hi] = QUANTIZED_RANGE[yType]!;
    const shape = convShape(node, x.dims, w.dims);
    const channels = shape.outChannels;
    const conv = new ConvGemm(shape, { panels: Float32Array, family: 'i32', lo: -Infinity, hi: Infinity });
    const outDims = convOutputDims(shape);
    const acc = new Int32Array(elementCount(outDims));
    const bias = new Float64Array(channels);
    const scales = new Float32Array(channels);
    const perChannel = elementCount(outDims.slice(2));
    const fail = (m: string) => shapeError(node, m);
    return (inputs, rc) => {
      const num = (i: number) => tensorInput(node, inputs, i).data as Float32Array;
      const xShift = zeroPoint({ data: num(2) }, 1, 'x_zero_point', fail) as number;
      const wShift = zeroPoint({ data: num(5) }, channels, 'w_zero_point', fail);
      const wScale = num(4);
      if (wScale.length !== 1 && wScale.length !== channels) throw fail(`w_scale has ${wScale.length} entries, expected 1 or ${channels}`);
      requantScales(num(1)[0], wScale, num(6)[0], scales);
      const b = optionalTensor(inputs, 8);
      conv.run(num(0), xShift, num(3), wShift, biasValues(channels, b ? (b.data as Int32Array) : null, bias), acc);
      const yZero = num(7)[0];
      const out = rc.output(0, yType, outDims);
      const Y = out.data as Int32Array;
      for (let i = 0; i < acc.length; i++) Y[i] = requantize(acc[i], scales[Math.floor(i / perChannel) % channels], yZero, lo, hi);
      return [out];
    };
  },
});

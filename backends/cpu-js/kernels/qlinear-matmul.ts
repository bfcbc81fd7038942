/**
 * QLinearMatMul: quantized A · B requantized to the output's scale and zero point. The integer
 * product runs on MatMulInteger's GEMM (zero points subtracted while packing); b's scale and zero
 * point may be per column.
 */
import { shapeError } from '../conv/geometry.js';
import { plainEpilogue } from '../gemm/gemm.js';
import { matmulShape } from '../gemm/matmul-shape.js';
import { StridedGemm } from '../gemm/strided-gemm.js';
import { registerKernel } from '../kernel.js';
import { QUANTIZED_RANGE, requantScales, requantize } from '../requantize.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';
import { zeroPoint } from './matmul-integer.js';

registerKernel({
  op: 'QLinearMatMul',
  since: 10,
  create(ctx) {
    const { node } = ctx;
    const a = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const b = tensorTypeOf(node, ctx.inputTypes[3], 3);
    const yType = tensorTypeOf(node, ctx.inputTypes[7], 7).dtype;
    for (const t of [a.dtype, b.dtype, yType]) if (!QUANTIZED_RANGE[t]) throw unsupportedType(node, t);
    const [lo, hi] = QUANTIZED_RANGE[yType]!;
    const s = matmulShape(node, a.dims, b.dims);
    const { M, K, N, batches } = s;
    const gemm = new StridedGemm(M, N, K, Float32Array, 'i32');
    const ep = plainEpilogue(M);
    const acc = new Int32Array(batches * M * N);
    const scales = new Float32Array(N);
    const fail = (m: string) => shapeError(node, m);
    return (inputs, rc) => {
      const num = (i: number) => tensorInput(node, inputs, i).data as Float32Array;
      const aShift = zeroPoint({ data: num(2) }, 1, 'a_zero_point', fail);
      const bShift = zeroPoint({ data: num(5) }, N, 'b_zero_point', fail);
      const bScale = num(4);
      if (bScale.length !== 1 && bScale.length !== N) throw fail(`b_scale has ${bScale.length} entries, expected 1 or ${N}`);
      requantScales(num(1)[0], bScale, num(6)[0], scales);
      const yZero = num(7)[0];
      const A = num(0);
      const B = num(3);
      for (let t = 0; t < batches; t++) {
        gemm.run({ data: A, offset: s.aOffsets[t], rowStride: K, colStride: 1, shift: aShift }, { data: B, offset: s.bOffsets[t], rowStride: N, colStride: 1, shift: bShift }, acc, t * M * N, N, ep);
      }
      const out = rc.output(0, yType, s.outDims);
      const Y = out.data as Int32Array;
      for (let i = 0; i < acc.length; i++) Y[i] = requantize(acc[i], scales[i % N], yZero, lo, hi);
      return [out];
    };
  },
});

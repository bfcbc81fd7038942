/**
 * MatMulInteger: (A − a_zero_point) · (B − b_zero_point) in int32, with numpy matmul shapes. The
 * zero points (scalar, per row of A, or per column of B) are subtracted while packing; 8-bit
 * differences are exact in the float32 panels and their sums exact in the doubles that accumulate.
 */
import { DType } from '../../../src/ir/dtype.js';
import { plainEpilogue } from '../gemm/gemm.js';
import { matmulShape } from '../gemm/matmul-shape.js';
import type { Shift } from '../gemm/packing.js';
import { StridedGemm } from '../gemm/strided-gemm.js';
import { shapeError } from '../conv/geometry.js';
import { registerKernel } from '../kernel.js';
import { optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

/** A zero point input as a Shift: scalar when it has one element, else one per row/column (`count`). */
export function zeroPoint(t: { data: ArrayLike<number> } | null, count: number, what: string, fail: (m: string) => Error): Shift {
  if (!t) return 0;
  if (t.data.length === 1) return t.data[0];
  if (t.data.length !== count) throw fail(`${what} has ${t.data.length} entries, expected 1 or ${count}`);
  return t.data;
}

registerKernel({
  op: 'MatMulInteger',
  create(ctx) {
    const { node } = ctx;
    const a = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const b = tensorTypeOf(node, ctx.inputTypes[1], 1);
    for (const t of [a, b]) if (t.dtype !== DType.UINT8 && t.dtype !== DType.INT8) throw unsupportedType(node, t.dtype);
    const s = matmulShape(node, a.dims, b.dims);
    const { M, K, N, batches } = s;
    const gemm = new StridedGemm(M, N, K, Float32Array, 'i32');
    const ep = plainEpilogue(M);
    const fail = (m: string) => shapeError(node, m);
    return (inputs, rc) => {
      const A = tensorInput(node, inputs, 0).data as Uint8Array;
      const B = tensorInput(node, inputs, 1).data as Uint8Array;
      const aShift = zeroPoint(optionalTensor(inputs, 2) as { data: Uint8Array } | null, M, 'a_zero_point', fail);
      const bShift = zeroPoint(optionalTensor(inputs, 3) as { data: Uint8Array } | null, N, 'b_zero_point', fail);
      const out = rc.output(0, DType.INT32, s.outDims);
      const C = out.data as Int32Array;
      for (let t = 0; t < batches; t++) {
        gemm.run({ data: A, offset: s.aOffsets[t], rowStride: K, colStride: 1, shift: aShift }, { data: B, offset: s.bOffsets[t], rowStride: N, colStride: 1, shift: bShift }, C, t * M * N, N, ep);
      }
      return [out];
    };
  },
});

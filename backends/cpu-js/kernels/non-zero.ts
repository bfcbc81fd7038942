/** NonZero: the coordinates of the non-zero elements, as int64 [rank, count] in row-major order. */
import { DType } from '../../../src/ir/dtype.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'NonZero',
  since: 9,
  widenHalf: false,
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const dims = x.dims;
    const rank = dims.length;
    const total = elementCount(dims);
    const half = x.dtype === DType.FLOAT16 || x.dtype === DType.BFLOAT16;
    return (inputs, rc) => {
      const src = tensorInput(node, inputs, 0).data as ArrayLike<number | bigint | string>;
      // float16/bfloat16 arrive as raw bits: only ±0 (0x0000, 0x8000) are zero.
      const nonZero = (i: number): boolean => (half ? ((src[i] as number) & 0x7fff) !== 0 : !!src[i]);
      let count = 0;
      for (let i = 0; i < total; i++) if (nonZero(i)) count++;
      const out = rc.output(0, DType.INT64, [rank, count]);
      const dst = out.data as BigInt64Array;
      const idx = new Int32Array(rank);
      let k = 0;
      for (let i = 0; i < total; i++) {
        if (nonZero(i)) {
          for (let d = 0; d < rank; d++) dst[d * count + k] = BigInt(idx[d]);
          k++;
        }
        for (let d = rank - 1; d >= 0; d--) {
          if (++idx[d] < dims[d]) break;
          idx[d] = 0;
        }
      }
      return [out];
    };
  },
});

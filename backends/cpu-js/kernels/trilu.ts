/** Trilu: keeps the upper (j - i >= k) or lower (j - i <= k) triangle of the last two dims, zeroing the rest. */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { registerKernel } from '../kernel.js';
import { optionalTensor, tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'Trilu',
  since: 14,
  widenHalf: false,
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const rank = x.dims.length;
    if (rank < 2) throw new ShearsError('E_SHAPE', `${describe(node)}: input has rank ${rank}, needs at least 2`, { node: node.name });
    const upper = node.getInt('upper', 1) !== 0;
    const rows = x.dims[rank - 2];
    const cols = x.dims[rank - 1];
    const matrices = elementCount(x.dims.slice(0, -2));
    return (inputs, rc) => {
      const kt = optionalTensor(inputs, 1);
      const k = kt ? Number(kt.data[0]) : 0;
      const src = tensorInput(node, inputs, 0).data as ArrayLike<unknown>;
      const out = rc.output(0, x.dtype, x.dims);
      const dst = out.data as unknown[];
      const zero = typeof src[0] === 'bigint' ? 0n : typeof src[0] === 'string' ? '' : 0;
      for (let m = 0; m < matrices; m++) {
        for (let i = 0; i < rows; i++) {
          const row = (m * rows + i) * cols;
          for (let j = 0; j < cols; j++) dst[row + j] = (upper ? j - i >= k : j - i <= k) ? src[row + j] : zero;
        }
      }
      return [out];
    };
  },
});

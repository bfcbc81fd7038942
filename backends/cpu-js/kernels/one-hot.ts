/** OneHot: a new axis of `depth` holding values[1] at each index (negative indices count from the end) and values[0] elsewhere. */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis } from '../axes.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'OneHot',
  since: 9,
  widenHalf: false,
  create(ctx) {
    const { node } = ctx;
    const indices = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const values = tensorTypeOf(node, ctx.inputTypes[2], 2);
    const rank = indices.dims.length + 1;
    const axis = normalizeAxis(node, node.getInt('axis', -1), rank);
    const outer = elementCount(indices.dims.slice(0, axis));
    const inner = elementCount(indices.dims.slice(axis));
    return (inputs, rc) => {
      const depth = Math.trunc(Number(tensorInput(node, inputs, 1).data[0]));
      const vals = tensorInput(node, inputs, 2).data as ArrayLike<unknown>;
      if (!(depth >= 1) || vals.length !== 2) {
        throw new ShearsError('E_SHAPE', `${describe(node)}: needs a positive depth (got ${depth}) and two values (got ${vals.length})`, { node: node.name });
      }
      const idx = tensorInput(node, inputs, 0).data as ArrayLike<number | bigint>;
      const out = rc.output(0, values.dtype, [...indices.dims.slice(0, axis), depth, ...indices.dims.slice(axis)]);
      const dst = out.data as unknown[];
      const off = vals[0];
      const on = vals[1];
      dst.fill(off);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          let k = Math.trunc(Number(idx[o * inner + i]));
          if (k < 0) k += depth;
          if (k >= 0 && k < depth) dst[(o * depth + k) * inner + i] = on;
        }
      }
      return [out];
    };
  },
});

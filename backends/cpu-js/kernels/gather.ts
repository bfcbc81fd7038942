/** Gather: picks slices along one axis by (possibly negative) indices. */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis } from '../axes.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'Gather',
  widenHalf: false,
  create(ctx) {
    const { node } = ctx;
    const data = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const indices = tensorTypeOf(node, ctx.inputTypes[1], 1);
    const axis = normalizeAxis(node, node.getInt('axis', 0), data.dims.length);
    const outDims = [...data.dims.slice(0, axis), ...indices.dims, ...data.dims.slice(axis + 1)];
    const outer = elementCount(data.dims.slice(0, axis));
    const inner = elementCount(data.dims.slice(axis + 1));
    const size = data.dims[axis];
    const count = elementCount(indices.dims);
    return (inputs, rc) => {
      const src = tensorInput(node, inputs, 0).data as ArrayLike<unknown>;
      const idx = tensorInput(node, inputs, 1).data;
      const out = rc.output(0, data.dtype, outDims);
      const dst = out.data as unknown[];
      let at = 0;
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < count; j++) {
          let i = Number(idx[j]);
          if (i < 0) i += size;
          if (!(i >= 0 && i < size)) throw new ShearsError('E_SHAPE', `${describe(node)}: index ${Number(idx[j])} is outside an axis of size ${size}`, { node: node.name });
          const from = (o * size + i) * inner;
          for (let k = 0; k < inner; k++) dst[at++] = src[from + k];
        }
      }
      return [out];
    };
  },
});

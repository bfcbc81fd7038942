/** Compress: the slices along `axis` (or elements of the flattened input) whose condition is true. */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis } from '../axes.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'Compress',
  since: 9,
  widenHalf: false,
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const given = node.getInt('axis');
    const axis = given === undefined ? 0 : normalizeAxis(node, given, x.dims.length);
    const dims = given === undefined ? [elementCount(x.dims)] : x.dims;
    const length = dims[axis];
    const outer = elementCount(dims.slice(0, axis));
    const inner = elementCount(dims.slice(axis + 1));
    return (inputs, rc) => {
      const cond = tensorInput(node, inputs, 1);
      if (cond.dims.length !== 1 || cond.dims[0] > length) {
        throw new ShearsError('E_SHAPE', `${describe(node)}: condition of shape [${cond.dims.join(',')}] does not fit an axis of ${length}`, { node: node.name });
      }
      const keep = cond.data as Uint8Array;
      let kept = 0;
      for (let i = 0; i < keep.length; i++) if (keep[i]) kept++;
      const outDims = [...dims];
      outDims[axis] = kept;
      const out = rc.output(0, x.dtype, outDims);
      const src = tensorInput(node, inputs, 0).data as ArrayLike<unknown>;
      const dst = out.data as unknown[];
      let at = 0;
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < keep.length; i++) {
          if (!keep[i]) continue;
          const from = (o * length + i) * inner;
          for (let k = 0; k < inner; k++) dst[at++] = src[from + k];
        }
      }
      return [out];
    };
  },
});

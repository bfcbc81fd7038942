/** ScatterND: data with update slices written (or combined, 'reduction') where index tuples point. */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { registerKernel } from '../kernel.js';
import { ndLayout, tupleOffset } from '../nd-index.js';
import { combineFor, scatterReduction } from '../scatter-reduction.js';
import { sameDims, tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'ScatterND',
  since: 11,
  widenHalf: false,
  supports: (node) => {
    const c = scatterReduction(node);
    return typeof c === 'string' ? c : true;
  },
  create(ctx) {
    const { node } = ctx;
    const data = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const indices = tensorTypeOf(node, ctx.inputTypes[1], 1);
    const updates = tensorTypeOf(node, ctx.inputTypes[2], 2);
    const layout = ndLayout(node, data.dims, indices.dims, 0);
    if (!sameDims(updates.dims, layout.sliceShape)) {
      throw new ShearsError('E_SHAPE', `${describe(node)}: updates have shape [${updates.dims.join(',')}], expected [${layout.sliceShape.join(',')}]`, { node: node.name });
    }
    const combine = combineFor(node);
    const { tuples, k, slice } = layout;
    const total = elementCount(data.dims);
    return (inputs, rc) => {
      const src = tensorInput(node, inputs, 0).data as ArrayLike<unknown>;
      const idx = tensorInput(node, inputs, 1).data as ArrayLike<number | bigint>;
      const upd = tensorInput(node, inputs, 2).data as ArrayLike<unknown>;
      const out = rc.output(0, data.dtype, data.dims);
      const dst = out.data as unknown[];
      for (let i = 0; i < total; i++) dst[i] = src[i];
      for (let t = 0; t < tuples; t++) {
        const to = tupleOffset(node, layout, idx, t * k);
        for (let i = 0; i < slice; i++) combine(dst, to + i, upd[t * slice + i]);
      }
      return [out];
    };
  },
});

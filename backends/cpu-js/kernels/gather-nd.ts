/** GatherND: slices of the data picked by index tuples (the last indices dim), per batch (batch_dims). */
import { ndLayout, tupleOffset } from '../nd-index.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'GatherND',
  since: 11,
  widenHalf: false,
  create(ctx) {
    const { node } = ctx;
    const data = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const indices = tensorTypeOf(node, ctx.inputTypes[1], 1);
    const layout = ndLayout(node, data.dims, indices.dims, node.getInt('batch_dims', 0));
    const { batches, tuples, k, batchSize, slice, sliceShape } = layout;
    return (inputs, rc) => {
      const src = tensorInput(node, inputs, 0).data as ArrayLike<unknown>;
      const idx = tensorInput(node, inputs, 1).data as ArrayLike<number | bigint>;
      const out = rc.output(0, data.dtype, sliceShape);
      const dst = out.data as unknown[];
      let at = 0;
      for (let b = 0; b < batches; b++) {
        for (let t = 0; t < tuples; t++) {
          const from = b * batchSize + tupleOffset(node, layout, idx, (b * tuples + t) * k);
          for (let i = 0; i < slice; i++) dst[at++] = src[from + i];
        }
      }
      return [out];
    };
  },
});

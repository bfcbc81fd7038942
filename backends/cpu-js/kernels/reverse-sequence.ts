/** ReverseSequence: for each batch item, its first sequence_lens[b] steps along the time axis reversed. */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis, stridesOf } from '../axes.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'ReverseSequence',
  since: 10,
  widenHalf: false,
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const rank = x.dims.length;
    const timeAxis = normalizeAxis(node, node.getInt('time_axis', 0), rank);
    const batchAxis = normalizeAxis(node, node.getInt('batch_axis', 1), rank);
    if (rank < 2 || timeAxis === batchAxis || timeAxis > 1 || batchAxis > 1) {
      throw new ShearsError('E_SHAPE', `${describe(node)}: time_axis and batch_axis must be 0 and 1 in some order`, { node: node.name });
    }
    const strides = stridesOf(x.dims);
    const steps = x.dims[timeAxis];
    const batch = x.dims[batchAxis];
    const inner = elementCount(x.dims.slice(2));
    return (inputs, rc) => {
      const lens = tensorInput(node, inputs, 1).data;
      if (lens.length !== batch) throw new ShearsError('E_SHAPE', `${describe(node)}: ${lens.length} sequence lengths for a batch of ${batch}`, { node: node.name });
      const src = tensorInput(node, inputs, 0).data as ArrayLike<unknown>;
      const out = rc.output(0, x.dtype, x.dims);
      const dst = out.data as unknown[];
      for (let b = 0; b < batch; b++) {
        const len = Number(lens[b]);
        if (!(len >= 0 && len <= steps)) throw new ShearsError('E_SHAPE', `${describe(node)}: sequence length ${len} is outside [0, ${steps}]`, { node: node.name });
        for (let t = 0; t < steps; t++) {
          const from = (t < len ? len - 1 - t : t) * strides[timeAxis] + b * strides[batchAxis];
          const to = t * strides[timeAxis] + b * strides[batchAxis];
          for (let i = 0; i < inner; i++) dst[to + i] = src[from + i];
        }
      }
      return [out];
    };
  },
});

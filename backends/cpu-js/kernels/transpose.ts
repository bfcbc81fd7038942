/** Transpose: a strided copy through the permuted strides. */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import { stridesOf } from '../axes.js';
import { registerKernel } from '../kernel.js';
import { stridedCopy } from '../strided.js';
import { tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'Transpose',
  widenHalf: false,
  create(ctx) {
    const { node } = ctx;
    const { dtype, dims } = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const perm = node.getInts('perm') ?? dims.map((_, i) => dims.length - 1 - i);
    if (perm.length !== dims.length || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
      throw new ShearsError('E_SHAPE', `${describe(node)}: perm [${perm.join(',')}] is not a permutation of ${dims.length} axes`, { node: node.name });
    }
    const inStrides = stridesOf(dims);
    const outDims = perm.map((p) => dims[p]);
    const strides = perm.map((p) => inStrides[p]);
    return (inputs, rc) => {
      const out = rc.output(0, dtype, outDims);
      stridedCopy(tensorInput(node, inputs, 0).data, 0, strides, outDims, out.data);
      return [out];
    };
  },
});

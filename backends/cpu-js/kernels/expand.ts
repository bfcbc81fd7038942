/** Expand: broadcast the input to a shape (numpy rules, so the result may be larger than asked). */
import { dtypeName } from '../../../src/ir/dtype.js';
import { broadcastDims } from '../broadcast.js';
import { elementwiseLoop } from '../elementwise.js';
import { registerKernel } from '../kernel.js';
import { intValues, tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'Expand',
  since: 8,
  widenHalf: false,
  create(ctx) {
    const { node } = ctx;
    const { dtype, dims } = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const types = `${dtypeName(dtype)},${dtypeName(dtype)}`;
    return (inputs, rc) => {
      const outDims = broadcastDims(node, [dims, intValues(tensorInput(node, inputs, 1))]);
      const out = rc.output(0, dtype, outDims);
      elementwiseLoop('x0', [dims], outDims, types)(out.data, [tensorInput(node, inputs, 0).data]);
      return [out];
    };
  },
});

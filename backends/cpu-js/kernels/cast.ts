/** Cast and CastLike: every numeric, bool, string and 16-bit float conversion (see convert.ts). */
import { DType, isKnownDType } from '../../../src/ir/dtype.js';
import { castTensor } from '../convert.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel(
  {
    op: 'Cast',
    since: 6,
    widenHalf: false,
    supports: (node) => (isKnownDType(node.getInt('to', 0)) && node.getInt('to', 0) !== DType.UNDEFINED ? true : "attribute 'to' is not a known dtype"),
    create(ctx) {
      const to = ctx.node.getInt('to', 0) as DType;
      return (inputs) => [castTensor(tensorInput(ctx.node, inputs, 0), to)];
    },
  },
  {
    op: 'CastLike',
    since: 15,
    widenHalf: false,
    create(ctx) {
      const to = tensorTypeOf(ctx.node, ctx.inputTypes[1], 1).dtype;
      return (inputs) => [castTensor(tensorInput(ctx.node, inputs, 0), to)];
    },
  },
);

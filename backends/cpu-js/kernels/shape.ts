/** Shape and Size: metadata of the input as int64. */
import { DType } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { registerKernel } from '../kernel.js';
import { tensorInput } from '../tensors.js';

registerKernel(
  {
    op: 'Shape',
    widenHalf: false,
    create(ctx) {
      const start = ctx.node.getInt('start', 0);
      const end = ctx.node.getInt('end');
      return (inputs) => {
        const dims = tensorInput(ctx.node, inputs, 0).dims;
        const clamp = (i: number): number => Math.min(Math.max(i < 0 ? i + dims.length : i, 0), dims.length);
        const kept = dims.slice(clamp(start), end === undefined ? dims.length : clamp(end));
        return [new Tensor(DType.INT64, [kept.length], BigInt64Array.from(kept, BigInt))];
      };
    },
  },
  {
    op: 'Size',
    widenHalf: false,
    create: (ctx) => (inputs) => [new Tensor(DType.INT64, [], BigInt64Array.of(BigInt(tensorInput(ctx.node, inputs, 0).size)))],
  },
);

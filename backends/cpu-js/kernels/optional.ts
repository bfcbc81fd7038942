/** Optional, OptionalHasElement, OptionalGetElement: an empty optional is null at run time. */
import { ShearsError } from '../../../src/error.js';
import { DType } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { registerKernel } from '../kernel.js';

registerKernel(
  { op: 'Optional', since: 15, widenHalf: false, create: () => (inputs) => [inputs[0] ?? null] },
  {
    op: 'OptionalHasElement',
    since: 15,
    widenHalf: false,
    create: () => (inputs) => [new Tensor(DType.BOOL, [], Uint8Array.of(inputs[0] === null || inputs[0] === undefined ? 0 : 1))],
  },
  {
    op: 'OptionalGetElement',
    since: 15,
    widenHalf: false,
    create: (ctx) => (inputs) => {
      const v = inputs[0];
      if (v === null || v === undefined) throw new ShearsError('E_MODEL_INVALID', `${describe(ctx.node)}: the optional is empty`, { node: ctx.node.name });
      return [v];
    },
  },
);

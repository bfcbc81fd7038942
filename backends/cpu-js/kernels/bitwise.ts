/** BitwiseAnd, BitwiseOr, BitwiseXor, BitwiseNot (opset 18) on integer tensors; typed-array stores wrap the results to the dtype's width. */
import { elementwise, elementwiseFamily } from '../elementwise-kernel.js';
import { registerKernel } from '../kernel.js';

registerKernel(
  ...elementwiseFamily(
    {
      BitwiseAnd: { int: 'x0 & x1', big: 'x0 & x1' },
      BitwiseOr: { int: 'x0 | x1', big: 'x0 | x1' },
      BitwiseXor: { int: 'x0 ^ x1', big: 'x0 ^ x1' },
    },
    { since: 18 },
  ),
  elementwise({ op: 'BitwiseNot', since: 18, expr: { int: '~x0', big: '~x0' } }),
);

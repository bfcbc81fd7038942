/** Add, Sub, Mul, Div with numpy broadcasting (opset 7 on; older opsets had an explicit broadcast attribute). */
import { elementwiseFamily } from '../elementwise-kernel.js';
import { registerKernel } from '../kernel.js';

registerKernel(
  ...elementwiseFamily(
    {
      Add: { float: 'x0 + x1', int: 'x0 + x1', big: 'x0 + x1' },
      Sub: { float: 'x0 - x1', int: 'x0 - x1', big: 'x0 - x1' },
      // Math.imul keeps the low 32 bits exactly, where a double product would round.
      Mul: { float: 'x0 * x1', int: 'Math.imul(x0, x1)', big: 'x0 * x1' },
      Div: { float: 'x0 / x1', int: 'Math.trunc(x0 / x1)', big: 'x1 === 0n ? 0n : x0 / x1' },
    },
    { since: 7 },
  ),
);

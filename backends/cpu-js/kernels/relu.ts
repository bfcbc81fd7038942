/** Relu: max(x, 0); NaN stays NaN. Integer types from opset 14. */
import { elementwise } from '../elementwise-kernel.js';
import { registerKernel } from '../kernel.js';

registerKernel(elementwise({ op: 'Relu', expr: { float: 'x0 < 0 ? 0 : x0', int: 'x0 < 0 ? 0 : x0', big: 'x0 < 0n ? 0n : x0' } }));

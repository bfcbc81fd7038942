/** Gelu (opset 20): x·Φ(x) exactly (through erf), or with the tanh approximation. */
import { elementwise } from '../elementwise-kernel.js';
import { registerKernel } from '../kernel.js';
import { erf } from '../math-functions.js';

registerKernel(
  elementwise({
    op: 'Gelu',
    since: 20,
    expr: { float: 'tanhForm ? 0.5 * x0 * (1 + Math.tanh(0.7978845608028654 * (x0 + 0.044715 * x0 * x0 * x0))) : 0.5 * x0 * (1 + erf(x0 * Math.SQRT1_2))' },
    params: (node) => ({ tanhForm: node.getString('approximate', 'none') === 'tanh', erf }),
    supports: (node) => (['none', 'tanh'].includes(node.getString('approximate', 'none')) ? true : `approximate '${node.getString('approximate', 'none')}' is not none or tanh`),
  }),
);

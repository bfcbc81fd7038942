/** Elementwise activation functions; attribute defaults as the ONNX spec gives them. */
import type { Node } from '../../../src/ir/node.js';
import { elementwise } from '../elementwise-kernel.js';
import { registerKernel } from '../kernel.js';

const alpha = (fallback: number) => (node: Node) => ({ alpha: node.getFloat('alpha', fallback) });

registerKernel(
  elementwise({ op: 'Sigmoid', expr: { float: '1 / (1 + Math.exp(-x0))' } }),
  elementwise({ op: 'Tanh', expr: { float: 'Math.tanh(x0)' } }),
  elementwise({ op: 'Softsign', expr: { float: 'x0 / (1 + Math.abs(x0))' } }),
  // log(1 + e^x) without overflow for large x.
  elementwise({ op: 'Softplus', expr: { float: 'x0 > 0 ? x0 + Math.log1p(Math.exp(-x0)) : Math.log1p(Math.exp(x0))' } }),
  elementwise({ op: 'LeakyRelu', expr: { float: 'x0 < 0 ? alpha * x0 : x0' }, params: alpha(0.01) }),
  elementwise({ op: 'Elu', expr: { float: 'x0 < 0 ? alpha * (Math.exp(x0) - 1) : x0' }, params: alpha(1) }),
  elementwise({ op: 'Celu', expr: { float: 'Math.max(0, x0) + Math.min(0, alpha * (Math.exp(x0 / alpha) - 1))' }, params: alpha(1) }),
  elementwise({
    op: 'Selu',
    expr: { float: 'x0 <= 0 ? gamma * (alpha * Math.exp(x0) - alpha) : gamma * x0' },
    params: (n) => ({ alpha: n.getFloat('alpha', 1.67326319217681884765625), gamma: n.getFloat('gamma', 1.05070102214813232421875) }),
  }),
  elementwise({
    op: 'HardSigmoid',
    expr: { float: 'Math.max(0, Math.min(1, alpha * x0 + beta))' },
    params: (n) => ({ alpha: n.getFloat('alpha', 0.2), beta: n.getFloat('beta', 0.5) }),
  }),
  elementwise({ op: 'HardSwish', expr: { float: 'x0 * Math.max(0, Math.min(1, x0 / 6 + 0.5))' } }),
  elementwise({ op: 'ThresholdedRelu', expr: { float: 'x0 > alpha ? x0 : 0' }, params: alpha(1) }),
  elementwise({ op: 'Mish', expr: { float: 'x0 * Math.tanh(x0 > 0 ? x0 + Math.log1p(Math.exp(-x0)) : Math.log1p(Math.exp(x0)))' } }),
  elementwise({
    op: 'Shrink',
    expr: { float: 'x0 < -lambd ? x0 + bias : x0 > lambd ? x0 - bias : 0', int: 'x0 < -lambd ? x0 + bias : x0 > lambd ? x0 - bias : 0' },
    params: (n) => ({ lambd: n.getFloat('lambd', 0.5), bias: n.getFloat('bias', 0) }),
  }),
  elementwise({ op: 'PRelu', since: 7, expr: { float: 'x0 < 0 ? x0 * x1 : x0', int: 'x0 < 0 ? x0 * x1 : x0', big: 'x0 < 0n ? x0 * x1 : x0' } }),
);

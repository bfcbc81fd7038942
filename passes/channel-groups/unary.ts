/**
 * Elementwise ops of one varying input: the output has the input's channels. Whether a removed
 * (zeroed) channel stays exactly zero decides if it may reach a contraction: Relu(0) = 0, but
 * Sigmoid(0) = 0.5, so a Conv after a Sigmoid would see the removed channel.
 *
 * Softmax and its kin are elementwise except along their axis, which must not carry channels.
 */
import type { Node } from '../../src/ir/node.js';
import type { Value } from '../../src/ir/value.js';
import { coupleAxes, normalizeAxis, rankOf } from './axes.js';
import type { ChannelRule } from './types.js';

/** op → f(0) === 0 (for all attribute values the op allows, or as decided from the node). */
const ZERO_AT_ZERO: Readonly<Record<string, boolean | ((node: Node) => boolean)>> = {
  Relu: true, LeakyRelu: true, Elu: true, Selu: true, Celu: true, ThresholdedRelu: true, HardSwish: true, Mish: true,
  Tanh: true, Softsign: true, Neg: true, Abs: true, Sqrt: true, Erf: true, Sign: true, Floor: true, Ceil: true, Round: true,
  Sin: true, Asin: true, Atan: true, Sinh: true, Asinh: true, Tan: true, Atanh: true, Identity: true, Dropout: true, Cast: true,
  Gelu: true, Shrink: (n) => n.getFloat('bias', 0) === 0 || n.getFloat('lambd', 0.5) >= Math.abs(n.getFloat('bias', 0)),
  Clip: clipKeepsZero,
  Sigmoid: false, HardSigmoid: false, Exp: false, Cos: false, Cosh: false, Acos: false, Acosh: false, Softplus: false,
  Reciprocal: false, Log: false, Not: false,
};

export const unaryRule: ChannelRule = {
  ops: Object.keys(ZERO_AT_ZERO),
  relate(ctx) {
    const node = ctx.node;
    const x = node.inputs[0];
    const y = node.outputs[0];
    if (!x || !y) return ctx.block('missing input or output');
    const extra = node.outputs.slice(1).some((v) => v && (v.users.length || v.isGraphOutput));
    if (extra) return ctx.block('its second output is used');
    coupleAxes(ctx, x, y);
  },
  zero(node, isZero) {
    const keeps = ZERO_AT_ZERO[node.opType];
    return isZero(node.inputs[0]) && (typeof keeps === 'function' ? keeps(node) : keeps === true);
  },
};

export const softmaxRule: ChannelRule = {
  ops: ['Softmax', 'LogSoftmax', 'Hardmax'],
  relate(ctx) {
    const node = ctx.node;
    const x = node.inputs[0];
    const y = node.outputs[0];
    const rank = rankOf(ctx, x);
    if (!x || !y || rank === undefined) return ctx.block('the rank of its input is unknown');
    // Before opset 13 these flatten the input at `axis` (default 1): every later axis is part of the softmax.
    const legacy = node.opset < 13;
    const axis = normalizeAxis(node.getInt('axis', legacy ? 1 : -1), rank);
    if (axis === undefined) return ctx.block('its axis is out of range');
    const inSoftmax = (k: number): boolean => (legacy ? k >= axis : k === axis);
    if ([...ctx.axes(x).keys(), ...ctx.axes(y).keys()].some(inSoftmax)) return ctx.block(`${node.opType} runs along the channel axis`);
    coupleAxes(ctx, x, y);
  },
};

function clipKeepsZero(node: Node): boolean {
  const bound = (i: number, attr: string, fallback: number): number | undefined => {
    const v: Value | null | undefined = node.inputs[i];
    if (node.opset < 11) return node.getFloat(attr, fallback);
    if (!v) return fallback;
    const c = v.constant;
    return c && c.size === 1 ? c.toNumbers()[0] : undefined;
  };
  const lo = bound(1, 'min', -Infinity);
  const hi = bound(2, 'max', Infinity);
  return lo !== undefined && hi !== undefined && lo <= 0 && hi >= 0;
}

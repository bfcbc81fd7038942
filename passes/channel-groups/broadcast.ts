/**
 * Elementwise ops of several inputs with numpy broadcasting (Add, Mul, ..., PRelu). Operands that
 * have the channel axis at full size are coupled index by index (a residual sum, a squeeze-excite
 * scale); operands of size 1 there broadcast and are not coupled (a per-tensor scalar, a spatial
 * map); constants at full size are sliced with the channels (a bias, a PRelu slope).
 *
 *   %y = Add(%a[N,C,H,W], %b[N,C,H,W])   a and b lose the same channels
 *   %y = Mul(%x[N,C,H,W], %s[])          s is untouched, x and y lose the same channels
 *   %y = Add(%x[N,C,H,W], %k[C,1,1])     k (constant) is sliced along its axis 0
 */
import type { Node } from '../../src/ir/node.js';
import type { Value } from '../../src/ir/value.js';
import { rankOf } from './axes.js';
import type { ChannelRule, ChannelRuleContext, Role, UnitId } from './types.js';

/** Ops whose result is zero when every operand is; their constants are zeroed with the channel (bias-like). */
const ADDITIVE = new Set(['Add', 'Sub', 'Sum', 'Mean', 'Max', 'Min']);

export const broadcastRule: ChannelRule = {
  ops: [...ADDITIVE, 'Mul', 'Div', 'Pow', 'PRelu'],
  relate(ctx) {
    const node = ctx.node;
    const y = node.outputs[0];
    const operands = node.opType === 'Pow' ? node.inputs.slice(0, 1) : node.inputs;
    if (!y || operands.some((v) => !v)) return ctx.block('missing input or output');
    if (node.opType === 'Pow' && ctx.axes(node.inputs[1]).size) return ctx.block('a channel-carrying exponent');
    const ry = rankOf(ctx, y);
    const ranks = operands.map((v) => rankOf(ctx, v));
    if (ry === undefined || ranks.some((r) => r === undefined)) return ctx.block('the ranks of its operands are unknown');
    const role: Role = ADDITIVE.has(node.opType) ? 'bias' : 'factor';
    const parts: { v: Value; offset: number }[] = [{ v: y, offset: 0 }, ...operands.map((v, i) => ({ v: v!, offset: ry - ranks[i]! }))];
    const outputAxes = new Map<number, readonly UnitId[]>();
    for (const { v, offset } of parts) {
      for (const [k, units] of ctx.axes(v)) if (!outputAxes.has(k + offset) && ctx.shape(y)?.[k + offset] === units.length) outputAxes.set(k + offset, units);
    }
    for (const { v, offset } of parts) {
      for (const k of ctx.axes(v).keys()) {
        if (!outputAxes.has(k + offset)) ctx.block(`channel axis ${k} of '${v.name}' is broadcast over the output (or the output size there is unknown)`, [v]);
      }
    }
    for (const [axis, units] of outputAxes) {
      for (const { v, offset } of parts) couple(ctx, v, axis - offset, units, role);
    }
  },
  zero(node, isZero) {
    const [a, b] = node.inputs;
    switch (node.opType) {
      case 'Mul':
        return node.inputs.some((v) => isZero(v));
      case 'Div':
        return isZero(a) && !isZero(b);
      case 'Pow':
        return isZero(a) && positiveExponent(node);
      case 'PRelu':
        return isZero(a);
      default:
        return node.inputs.every((v) => isZero(v));
    }
  },
};

function couple(ctx: ChannelRuleContext, v: Value, axis: number, units: readonly UnitId[], role: Role): void {
  if (axis < 0) return;
  const dim = ctx.shape(v)?.[axis];
  if (dim === units.length) ctx.assign(v, axis, units, role);
  else if (dim !== 1) ctx.block(`operand '${v.name}' has an unknown size on the channel axis`);
}

function positiveExponent(node: Node): boolean {
  const e = node.inputs[1]?.constant;
  if (!e || e.size > 16) return false;
  try {
    return e.toNumbers().every((p) => p > 0);
  } catch {
    return false;
  }
}

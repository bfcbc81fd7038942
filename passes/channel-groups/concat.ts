/**
 * Concat: along its axis the output's indices are the inputs' one after another (input i starts at
 * the sum of the sizes before it), so each input keeps its own units and the output lists them in
 * order; other axes are shared by all inputs.
 *
 *   %y = Concat(%a[N,64,H,W], %b[N,32,H,W], axis=1)   y channels 0..63 are a's, 64..95 are b's
 */
import { normalizeAxis, rankOf } from './axes.js';
import type { ChannelRule, UnitId } from './types.js';

export const concatRule: ChannelRule = {
  ops: ['Concat'],
  relate(ctx) {
    const node = ctx.node;
    const y = node.outputs[0];
    const inputs = node.inputs;
    const rank = rankOf(ctx, y);
    const axis = rank === undefined ? undefined : normalizeAxis(node.getInt('axis', 0), rank);
    if (!y || axis === undefined || inputs.some((v) => !v)) return ctx.block('its rank or axis is unknown');
    const parts = [y, ...inputs.map((v) => v!)];
    for (const p of parts) {
      for (const [k, units] of ctx.axes(p)) if (k !== axis) for (const q of parts) ctx.assign(q, k, units, 'bias');
    }
    if (!parts.some((p) => ctx.units(p, axis))) return;
    const sizes = inputs.map((v) => ctx.shape(v)?.[axis]);
    if (sizes.some((s) => typeof s !== 'number')) return ctx.block('the sizes of its inputs along the axis are unknown');
    const yu = ctx.units(y, axis);
    const all: UnitId[] = [];
    inputs.forEach((v, i) => {
      const size = sizes[i] as number;
      const units = ctx.units(v, axis) ?? yu?.slice(all.length, all.length + size) ?? ctx.fresh(size);
      ctx.assign(v!, axis, units, 'bias');
      all.push(...units);
    });
    ctx.assign(y, axis, all);
  },
  zero: (node, isZero) => node.inputs.every((v) => isZero(v)),
};

/**
 * Split: along its axis output i holds the input's indices from the sum of the sizes before it;
 * other axes are shared. When channels go, the split sizes are rewritten to what each part keeps.
 *
 *   %a, %b = Split(%x[N,116,H,W], split=[58,58], axis=1)   a has x's channels 0..57, b 58..115
 */
import { DType } from '../../src/ir/dtype.js';
import { Tensor } from '../../src/ir/tensor.js';
import { normalizeAxis, rankOf } from './axes.js';
import type { ChannelRule, UnitId } from './types.js';

export const splitRule: ChannelRule = {
  ops: ['Split'],
  relate(ctx) {
    const node = ctx.node;
    const x = node.inputs[0];
    const outputs = node.outputs;
    const rank = rankOf(ctx, x);
    const axis = rank === undefined ? undefined : normalizeAxis(node.getInt('axis', 0), rank);
    if (!x || axis === undefined || outputs.some((v) => !v)) return ctx.block('its rank or axis is unknown');
    const parts = [x, ...outputs.map((v) => v!)];
    for (const p of parts) {
      for (const [k, units] of ctx.axes(p)) if (k !== axis) for (const q of parts) ctx.assign(q, k, units);
    }
    if (!parts.some((p) => ctx.units(p, axis))) return;
    const sizes = outputs.map((v) => ctx.shape(v)?.[axis]);
    if (sizes.some((s) => typeof s !== 'number')) return ctx.block('the sizes of its outputs along the axis are unknown');
    const xu = ctx.units(x, axis);
    const all: UnitId[] = [];
    outputs.forEach((v, i) => {
      const size = sizes[i] as number;
      const units = xu?.slice(all.length, all.length + size) ?? ctx.units(v, axis) ?? ctx.fresh(size);
      ctx.assign(v!, axis, units);
      all.push(...units);
    });
    ctx.assign(x, axis, all);
    ctx.fixup((apply) => {
      if (!apply.changed(x)) return;
      const kept = outputs.map((v) => apply.keep(v, axis)!.length);
      if (node.opset >= 13) {
        node.removeAttr('num_outputs');
        apply.setInputConstant(node, 1, Tensor.fromNumbers(DType.INT64, [kept.length], kept));
      } else {
        node.setAttr({ name: 'split', type: 'ints', value: kept });
      }
    });
  },
  zero: (node, isZero) => isZero(node.inputs[0]),
};

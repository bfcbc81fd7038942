/**
 * Slice with step 1 along a channel axis: output index j is input index start + j. Removed
 * channels shift the window: the new start is the number of kept channels before the old start,
 * and starts/ends become constants (a shape computation that produced them is left dead).
 *
 *   %y = Slice(%x[N,116,H,W], starts=[58], ends=[116], axes=[1])   y's channels are x's 58..115
 */
import { DType } from '../../src/ir/dtype.js';
import { Tensor } from '../../src/ir/tensor.js';
import { normalizeAxis, rankOf } from './axes.js';
import type { ChannelRule } from './types.js';

const MAX = Number.MAX_SAFE_INTEGER;

interface Window {
  axis: number;
  start: number;
  end: number;
  step: number;
}

export const sliceRule: ChannelRule = {
  ops: ['Slice'],
  relate(ctx) {
    const node = ctx.node;
    const x = node.inputs[0];
    const y = node.outputs[0];
    const rank = rankOf(ctx, x);
    const dims = ctx.shape(x);
    if (!x || !y || rank === undefined || !dims) return ctx.block('the rank of its input is unknown');
    if (node.opset < 10) return ctx.block('Slice before opset 10 is not pruned');
    const [, startsV, endsV, axesV, stepsV] = node.inputs;
    const starts = ctx.ints(startsV);
    const ends = ctx.ints(endsV);
    const axes = axesV ? ctx.ints(axesV) : starts?.map((_, i) => i);
    const steps = stepsV ? ctx.ints(stepsV) : starts?.map(() => 1);
    if (!starts || !ends || !axes || !steps) return ctx.block('its starts/ends/axes/steps are not known');
    const windows = new Map<number, Window>();
    for (let i = 0; i < axes.length; i++) {
      const axis = normalizeAxis(axes[i], rank);
      const d = dims[axis ?? -1];
      if (axis === undefined) return ctx.block('an axis is out of range');
      if (typeof d !== 'number') continue;
      const clamp = (p: number): number => Math.min(Math.max(p < 0 ? p + d : p, 0), d);
      windows.set(axis, { axis, start: clamp(starts[i]), end: Math.max(clamp(starts[i]), clamp(ends[i])), step: steps[i] });
    }
    for (let k = 0; k < rank; k++) {
      const w = windows.get(k);
      const xu = ctx.units(x, k);
      const yu = ctx.units(y, k);
      if (!xu && !yu) continue;
      if (!w) {
        if (axes.map((a) => normalizeAxis(a, rank)).includes(k)) return ctx.block('it slices a channel axis of unknown size');
        if (xu) ctx.assign(y, k, xu);
        if (yu) ctx.assign(x, k, yu);
        continue;
      }
      if (w.step !== 1) return ctx.block('it slices the channel axis with a step other than 1');
      const full = xu ?? [...ctx.fresh(w.start), ...yu!, ...ctx.fresh((dims[k] as number) - w.end)];
      ctx.assign(x, k, full);
      ctx.assign(y, k, full.slice(w.start, w.end));
    }
    ctx.fixup((apply) => {
      if (!apply.changed(x)) return;
      const newStarts = [...starts];
      const newEnds = [...ends];
      axes.forEach((a, i) => {
        const w = windows.get(normalizeAxis(a, rank)!);
        const kept = w && apply.keep(x, w.axis);
        if (!w || !kept) return;
        newStarts[i] = kept.filter((j) => j < w.start).length;
        newEnds[i] = newStarts[i] + kept.filter((j) => j >= w.start && j < w.end).length;
      });
      // INT64_MAX sentinels read back as 2^63, which int64 cannot hold; any bound past the dims means the same.
      const int64 = (values: number[]): Tensor => Tensor.fromNumbers(DType.INT64, [values.length], values.map((v) => Math.max(-MAX, Math.min(MAX, v))));
      apply.setInputConstant(node, 1, int64(newStarts));
      apply.setInputConstant(node, 2, int64(newEnds));
      apply.setInputConstant(node, 3, int64(axes));
      apply.setInputConstant(node, 4, int64(steps));
    });
  },
  zero: (node, isZero) => isZero(node.inputs[0]),
};

/**
 * Gather with constant 1-D indices along a channel axis: output index j is input index
 * indices[j] (a channel permutation, or a selection). When channels go, the indices are rewritten
 * to the kept channels' new positions. Along other axes the channels pass through.
 *
 *   %y = Gather(%x[N,4,H,W], indices=[2,0,3,1], axis=1)   y channel 0 is x channel 2, ...
 */
import { DType } from '../../src/ir/dtype.js';
import { Tensor } from '../../src/ir/tensor.js';
import { coupleAxes, normalizeAxis, rankOf } from './axes.js';
import type { ChannelRule } from './types.js';

export const gatherRule: ChannelRule = {
  ops: ['Gather'],
  relate(ctx) {
    const node = ctx.node;
    const [x, idx] = node.inputs;
    const y = node.outputs[0];
    const rank = rankOf(ctx, x);
    const idxRank = rankOf(ctx, idx);
    const axis = rank === undefined ? undefined : normalizeAxis(node.getInt('axis', 0), rank);
    if (!x || !idx || !y || axis === undefined || idxRank === undefined) return ctx.block('its ranks or axis are unknown');
    const shift = idxRank - 1;
    coupleAxes(
      ctx, x, y,
      (k) => (k < axis ? k : k > axis ? k + shift : undefined),
      (j) => (j < axis ? j : j >= axis + idxRank ? j - shift : undefined),
    );
    const yAxes = [...ctx.axes(y).keys()].filter((j) => j >= axis && j < axis + idxRank);
    if (!ctx.units(x, axis) && !yAxes.length) return;
    const indices = ctx.ints(idx);
    const size = ctx.shape(x)?.[axis];
    if (idxRank !== 1 || !indices || typeof size !== 'number') return ctx.block('it gathers channels with indices that are not a constant list');
    const positions = indices.map((i) => (i < 0 ? i + size : i));
    if (positions.some((i) => i < 0 || i >= size)) return ctx.block('an index is out of range');
    const xu = ctx.units(x, axis) ?? ctx.fresh(size);
    ctx.assign(x, axis, xu);
    ctx.assign(y, axis, positions.map((i) => xu[i]));
    ctx.fixup((apply) => {
      if (!apply.changed(x)) return;
      const newIndex = new Map(apply.keep(x, axis)!.map((old, i) => [old, i]));
      const kept = apply.keep(y, axis)!.map((j) => newIndex.get(positions[j])!);
      apply.setInputConstant(node, 1, Tensor.fromNumbers(DType.INT64, [kept.length], kept));
    });
  },
  zero: (node, isZero) => isZero(node.inputs[0]),
};

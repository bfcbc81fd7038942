/**
 * Reductions over axes that carry no channels keep the channels (moved left past removed axes when
 * keepdims=0). Reducing over the channel axis blocks: a mean, max or norm over channels changes when
 * one is removed, even a zero one.
 *
 *   %m = ReduceMean(%x[N,C,H,W], axes=[2,3], keepdims=1)   m[N,C,1,1] has x's channels
 */
import { coupleAxes, normalizeAxis, rankOf } from './axes.js';
import type { ChannelRule } from './types.js';

/** Reductions whose result over an all-zero channel is zero. */
const ZERO_PRESERVING = new Set(['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceSumSquare']);

export const reduceRule: ChannelRule = {
  ops: [...ZERO_PRESERVING, 'ReduceLogSum', 'ReduceLogSumExp'],
  relate(ctx) {
    const node = ctx.node;
    const x = node.inputs[0];
    const y = node.outputs[0];
    const rank = rankOf(ctx, x);
    if (!x || !y || rank === undefined) return ctx.block('the rank of its input is unknown');
    const axesFromInput = node.opset >= 18 || (node.opType === 'ReduceSum' && node.opset >= 13);
    const given = axesFromInput ? (node.inputs[1] ? ctx.ints(node.inputs[1]) : []) : (node.getInts('axes') ?? []);
    if (!given) return ctx.block('its axes are not known');
    const noop = axesFromInput && node.getInt('noop_with_empty_axes', 0) === 1;
    const reduced = given.length ? given.map((a) => normalizeAxis(a, rank)) : noop ? [] : [...Array(rank).keys()];
    if (reduced.some((a) => a === undefined)) return ctx.block('an axis is out of range');
    if ([...ctx.axes(x).keys()].some((k) => reduced.includes(k))) return ctx.block(`${node.opType} reduces over the channel axis`);
    const keep = node.getInt('keepdims', 1) === 1;
    const kept = [...Array(rank).keys()].filter((k) => !reduced.includes(k));
    coupleAxes(
      ctx, x, y,
      (k) => (keep ? k : kept.indexOf(k)),
      (j) => (keep ? (reduced.includes(j) ? undefined : j) : kept[j]),
    );
  },
  zero: (node, isZero) => ZERO_PRESERVING.has(node.opType) && isZero(node.inputs[0]),
};

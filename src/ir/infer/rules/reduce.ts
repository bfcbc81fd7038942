import { DType } from '../../dtype.js';
import type { Dim } from '../../types.js';
import type { Rule } from '../context.js';
import { normalizeAxes, normalizeAxis, unknownDims } from '../dims.js';
import { axesFrom, tensorOf } from './common.js';

/** ReduceSum, ReduceMean, ...: axes by attribute or (ReduceSum 13+, all 18+) by input 1. */
export const reduce: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const shape = ctx.shape(0);
  const keep = ctx.node.getInt('keepdims', 1) !== 0;
  const noop = ctx.node.getInt('noop_with_empty_axes', 0) !== 0;
  if (!shape) return tensorOf(dtype);
  const given = axesFrom(ctx, 1);
  if (given === undefined) {
    if (keep) return tensorOf(dtype, shape.map((d) => (d === 1 ? 1 : null)));
    const count = ctx.shape(1)?.[0];
    return tensorOf(dtype, typeof count === 'number' && count > 0 ? unknownDims(shape.length - count) : undefined);
  }
  const axes = given === 'absent' || given.length === 0 ? (noop ? [] : shape.map((_, i) => i)) : normalizeAxes(given, shape.length);
  if (!axes) return tensorOf(dtype);
  return tensorOf(dtype, reducedShape(shape, axes, keep));
};

/** ArgMax, ArgMin: one axis, int64 indices. */
export const argReduce: Rule = (ctx) => {
  const shape = ctx.shape(0);
  if (!shape) return tensorOf(DType.INT64);
  const axis = normalizeAxis(ctx.node.getInt('axis', 0), shape.length);
  if (axis === undefined) return tensorOf(DType.INT64);
  return tensorOf(DType.INT64, reducedShape(shape, [axis], ctx.node.getInt('keepdims', 1) !== 0));
};

function reducedShape(shape: readonly Dim[], axes: readonly number[], keep: boolean): Dim[] {
  const out: Dim[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keep) out.push(1);
  });
  return out;
}

import type { Dim } from '../../types.js';
import type { Rule } from '../context.js';
import { normalizeAxis } from '../dims.js';
import { tensorOf } from './common.js';

/** Gather: data[:axis] + indices.shape + data[axis+1:]. */
export const gather: Rule = (ctx) => {
  const data = ctx.shape(0);
  const indices = ctx.shape(1);
  if (!data || !indices) return tensorOf(ctx.dtype(0));
  const axis = normalizeAxis(ctx.node.getInt('axis', 0), data.length);
  if (axis === undefined) return tensorOf(ctx.dtype(0));
  return tensorOf(ctx.dtype(0), [...data.slice(0, axis), ...indices, ...data.slice(axis + 1)]);
};

/** GatherElements: the indices' shape, the data's element type. */
export const gatherElements: Rule = (ctx) => tensorOf(ctx.dtype(0), ctx.shape(1));

/** GatherND: indices.shape[:-1] + data.shape[batch_dims + indices.shape[-1]:]. */
export const gatherND: Rule = (ctx) => {
  const data = ctx.shape(0);
  const indices = ctx.shape(1);
  if (!data || !indices || indices.length === 0) return tensorOf(ctx.dtype(0));
  const depth = indices[indices.length - 1];
  if (typeof depth !== 'number') return tensorOf(ctx.dtype(0));
  const batchDims = ctx.node.getInt('batch_dims', 0);
  const rest: Dim[] = data.slice(batchDims + depth);
  return tensorOf(ctx.dtype(0), [...indices.slice(0, -1), ...rest]);
};

/** OneHot(indices, depth, values): a new axis of size `depth` at `axis`, values' element type. */
export const oneHot: Rule = (ctx) => {
  const dtype = ctx.dtype(2);
  const indices = ctx.shape(0);
  if (!indices) return tensorOf(dtype);
  const axis = normalizeAxis(ctx.node.getInt('axis', -1), indices.length + 1);
  if (axis === undefined) return tensorOf(dtype);
  const d = ctx.value(1)?.data[0];
  const depth: Dim = typeof d === 'number' ? Math.floor(d) : d ?? null;
  return tensorOf(dtype, [...indices.slice(0, axis), depth, ...indices.slice(axis)]);
};

import { DType } from '../../dtype.js';
import type { Dim } from '../../types.js';
import type { Rule } from '../context.js';
import { unknownDims } from '../dims.js';
import { tensorOf, windowSpatial } from './common.js';

/** MaxPool, AveragePool, LpPool: [N, C, spatial...] to [N, C, out...]; MaxPool's second output is int64 indices. */
export const pool: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const xs = ctx.shape(0);
  if (!xs || xs.length < 3) return [tensorOf(dtype), tensorOf(DType.INT64)];
  const shape = [xs[0], xs[1], ...windowSpatial(ctx.node, xs.slice(2), ctx.node.getInts('kernel_shape'))];
  return [tensorOf(dtype, shape), tensorOf(DType.INT64, shape)];
};

/** GlobalAveragePool, GlobalMaxPool, GlobalLpPool: spatial dims become 1. */
export const globalPool: Rule = (ctx) => {
  const xs = ctx.shape(0);
  return tensorOf(ctx.dtype(0), xs && xs.length >= 2 ? [xs[0], xs[1], ...xs.slice(2).map(() => 1)] : undefined);
};

/** MaxUnpool(X, I, output_shape?): the given shape, else the inverse of the pooling arithmetic. */
export const maxUnpool: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  if (ctx.has(2)) {
    const given = ctx.value(2);
    if (given) return tensorOf(dtype, given.data);
    const rank = ctx.shape(2)?.[0];
    return tensorOf(dtype, unknownDims(rank));
  }
  const xs = ctx.shape(0);
  const kernel = ctx.node.getInts('kernel_shape');
  if (!xs || xs.length < 3 || !kernel) return tensorOf(dtype);
  const n = xs.length - 2;
  const strides = ctx.node.getInts('strides') ?? new Array<number>(n).fill(1);
  const pads = ctx.node.getInts('pads') ?? new Array<number>(2 * n).fill(0);
  const spatial = xs.slice(2).map((d, i): Dim => (typeof d === 'number' ? (d - 1) * strides[i] + kernel[i] - pads[i] - pads[i + n] : null));
  return tensorOf(dtype, [xs[0], xs[1], ...spatial]);
};

/** RoiAlign(X [N, C, H, W], rois [R, 4], batch_indices [R]) gives [R, C, output_height, output_width]. */
export const roiAlign: Rule = (ctx) => {
  const rois = ctx.shape(1)?.[0] ?? ctx.shape(2)?.[0] ?? null;
  const channels = ctx.shape(0)?.[1] ?? null;
  return tensorOf(ctx.dtype(0), [rois, channels, ctx.node.getInt('output_height', 1), ctx.node.getInt('output_width', 1)]);
};

/** MaxRoiPool(X [N, C, ...], rois [R, 5]) gives [R, C, pooled_shape...]. */
export const maxRoiPool: Rule = (ctx) => {
  const pooled = ctx.node.getInts('pooled_shape');
  if (!pooled) return tensorOf(ctx.dtype(0));
  return tensorOf(ctx.dtype(0), [ctx.shape(1)?.[0] ?? null, ctx.shape(0)?.[1] ?? null, ...pooled]);
};

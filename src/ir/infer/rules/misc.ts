import type { Rule } from '../context.js';
import { tensorOf } from './common.js';

/** Det: the batch dims of [*, M, M]. */
export const det: Rule = (ctx) => {
  const s = ctx.shape(0);
  return tensorOf(ctx.dtype(0), s && s.length >= 2 ? s.slice(0, -2) : undefined);
};

/** GridSample(X [N, C, H, W], grid [N, H_out, W_out, 2]) gives [N, C, H_out, W_out]. */
export const gridSample: Rule = (ctx) => {
  const x = ctx.shape(0);
  const grid = ctx.shape(1);
  if (!x || !grid || grid.length < 3) return tensorOf(ctx.dtype(0));
  return tensorOf(ctx.dtype(0), [x[0], x[1], ...grid.slice(1, -1)]);
};

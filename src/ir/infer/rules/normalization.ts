import { DType } from '../../dtype.js';
import type { Rule } from '../context.js';
import { normalizeAxis } from '../dims.js';
import { dtypeAttr, tensorOf } from './common.js';

/**
 * BatchNormalization(X, scale, B, mean, var): Y is X's type; the optional statistics outputs
 * (running mean/var, and before opset 14 also the saved ones) have the per-channel shape [C].
 */
export const batchNorm: Rule = (ctx) => {
  const stats = tensorOf(ctx.dtype(3) ?? ctx.dtype(0), ctx.shape(3) ?? ctx.shape(1));
  return [ctx.type(0), stats, stats, stats, stats];
};

/** LayerNormalization: Y like X; Mean and InvStdDev keep X's leading dims and have size 1 from `axis` on. */
export const layerNorm: Rule = (ctx) => {
  const shape = ctx.shape(0);
  const stash = dtypeAttr(ctx.node, 'stash_type', DType.FLOAT);
  if (!shape) return [ctx.type(0), tensorOf(stash), tensorOf(stash)];
  const axis = normalizeAxis(ctx.node.getInt('axis', -1), shape.length);
  if (axis === undefined) return [ctx.type(0), tensorOf(stash), tensorOf(stash)];
  const reduced = shape.map((d, i) => (i < axis ? d : 1));
  return [ctx.type(0), tensorOf(stash, reduced), tensorOf(stash, reduced)];
};

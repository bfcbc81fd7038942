/**
 * Gemm: Y = A'·B' + C with A' = transA ? Aᵀ : A, B' = transB ? Bᵀ : B, B constant. The contracted
 * axis of A is B's input axis; Y's columns are new units, B's output axis and C's column axis.
 *
 *   A[M,K] · B[K,N] (+ C[N] or C[M,N] or C[1,N])  →  Y[M,N]
 */
import { unitAxesExcept } from './axes.js';
import type { ChannelRule } from './types.js';

export const gemmRule: ChannelRule = {
  ops: ['Gemm'],
  relate(ctx) {
    const node = ctx.node;
    const [a, b, c] = node.inputs;
    const y = node.outputs[0];
    const B = ctx.isWeight(b) ? ctx.shape(b) : undefined;
    if (!a || !b || !y || !B || B.length !== 2 || typeof B[0] !== 'number' || typeof B[1] !== 'number') return ctx.block('B is not a constant matrix');
    const bDims = B as number[];
    const ka = node.getInt('transA', 0) ? 0 : 1;
    const kb = node.getInt('transB', 0) ? 1 : 0;
    if (unitAxesExcept(ctx, a, [ka]).length || unitAxesExcept(ctx, y, [1]).length) return ctx.block('channels on the rows of A');
    const au = ctx.units(a, ka) ?? ctx.fresh(bDims[kb]);
    ctx.assign(a, ka, au);
    ctx.contracts(a);
    ctx.assign(b, kb, au, 'weight-in');
    const yu = ctx.units(y, 1) ?? ctx.fresh(bDims[1 - kb]);
    ctx.assign(y, 1, yu);
    ctx.assign(b, 1 - kb, yu, 'weight-out');
    if (!c) return;
    const cDims = ctx.isWeight(c) ? ctx.shape(c) : undefined;
    if (!cDims) return ctx.block('C is not a constant');
    const last = cDims.length - 1;
    if (last >= 0 && cDims[last] === yu.length && yu.length !== 1) ctx.assign(c, last, yu, 'bias');
    else if (last >= 0 && cDims[last] !== 1) ctx.block('C does not broadcast over the columns');
  },
  zero: () => true,
};

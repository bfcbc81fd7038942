/**
 * MatMul with a constant 2-D right operand (a Linear layer): A[..., K] · B[K, N] → Y[..., N]. A's
 * last axis is B's input axis; Y's last axis is new units, B's output axis. A product of two
 * computed tensors (attention scores) is not pruned: its units are blocked.
 */
import { rankOf, unitAxesExcept } from './axes.js';
import type { ChannelRule } from './types.js';

export const matmulRule: ChannelRule = {
  ops: ['MatMul'],
  relate(ctx) {
    const [a, b] = ctx.node.inputs;
    const y = ctx.node.outputs[0];
    if (!a || !b || !y || !ctx.isWeight(b) || ctx.isWeight(a)) return ctx.block('only a product with a constant right operand (a Linear layer) is pruned');
    const B = ctx.shape(b);
    if (!B || B.length !== 2 || typeof B[0] !== 'number' || typeof B[1] !== 'number') return ctx.block('its constant operand is not a matrix');
    const ra = rankOf(ctx, a);
    const ry = rankOf(ctx, y);
    if (ra === undefined || ry === undefined || ra < 1) return ctx.block('the rank of its input is unknown');
    if (unitAxesExcept(ctx, a, [ra - 1]).length || unitAxesExcept(ctx, y, [ry - 1]).length) return ctx.block('channels on a batch axis');
    const au = ctx.units(a, ra - 1) ?? ctx.fresh(B[0]);
    ctx.assign(a, ra - 1, au);
    ctx.contracts(a);
    ctx.assign(b, 0, au, 'weight-in');
    const yu = ctx.units(y, ry - 1) ?? ctx.fresh(B[1]);
    ctx.assign(y, ry - 1, yu);
    ctx.assign(b, 1, yu, 'weight-out');
  },
  zero: () => true,
};

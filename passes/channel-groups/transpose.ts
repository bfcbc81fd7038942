/**
 * Transpose moves channel axes: output axis i is input axis perm[i].
 *
 *   %y = Transpose(%x[N,C,H,W], perm=[0,2,3,1])   y[N,H,W,C] carries x's channels on axis 3
 */
import { coupleAxes, rankOf } from './axes.js';
import type { ChannelRule } from './types.js';

export const transposeRule: ChannelRule = {
  ops: ['Transpose'],
  relate(ctx) {
    const node = ctx.node;
    const x = node.inputs[0];
    const y = node.outputs[0];
    const rank = rankOf(ctx, x);
    if (!x || !y || rank === undefined) return ctx.block('the rank of its input is unknown');
    const perm = node.getInts('perm') ?? [...Array(rank).keys()].reverse();
    if (perm.length !== rank) return ctx.block('its perm does not match the rank');
    coupleAxes(
      ctx, x, y,
      (k) => perm.indexOf(k),
      (i) => perm[i],
    );
  },
  zero: (node, isZero) => isZero(node.inputs[0]),
};

/**
 * Ops that work within each channel over the spatial axes pass the channels through: pooling,
 * Resize, Pad. Channels on a spatial axis block (pooling mixes them).
 *
 *   %y = MaxPool(%x[N,C,H,W])   y[N,C,H',W'] has x's channels
 */
import { DType } from '../../src/ir/dtype.js';
import { Tensor } from '../../src/ir/tensor.js';
import type { Node } from '../../src/ir/node.js';
import { coupleAxes, rankOf, unitAxesExcept } from './axes.js';
import type { ChannelRule } from './types.js';

export const poolRule: ChannelRule = {
  ops: ['MaxPool', 'AveragePool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool', 'Resize', 'Upsample'],
  relate(ctx) {
    const node = ctx.node;
    const x = node.inputs[0];
    const y = node.outputs[0];
    if (!x || !y) return ctx.block('missing input or output');
    if (node.outputs[1] && (node.outputs[1].users.length || node.outputs[1].isGraphOutput)) return ctx.block('its indices output is used');
    if (unitAxesExcept(ctx, x, [0, 1]).length || unitAxesExcept(ctx, y, [0, 1]).length) return ctx.block('channels on a spatial axis');
    const inDims = ctx.shape(x);
    const outDims = ctx.shape(y);
    if ((ctx.units(x, 1) || ctx.units(y, 1)) && inDims?.[1] !== outDims?.[1]) return ctx.block('it resizes the channel axis');
    coupleAxes(ctx, x, y);
    const sizes = node.opType === 'Resize' ? node.inputs[3] : null;
    if (!sizes) return;
    const known = ctx.ints(sizes);
    if (!known) return ctx.block('its sizes are not known');
    ctx.fixup((apply) => {
      if (!apply.changed(x)) return;
      const next = [...known];
      next[1] = apply.keep(x, 1)!.length;
      apply.setInputConstant(node, 3, Tensor.fromNumbers(DType.INT64, [next.length], next));
    });
  },
  zero: (node, isZero) => isZero(node.inputs[0]),
};

export const padRule: ChannelRule = {
  ops: ['Pad'],
  relate(ctx) {
    const node = ctx.node;
    const x = node.inputs[0];
    const y = node.outputs[0];
    const rank = rankOf(ctx, x);
    if (!x || !y || rank === undefined) return ctx.block('the rank of its input is unknown');
    if (node.inputs[3]) return ctx.block('Pad with an axes input is not pruned');
    const pads = node.opset >= 11 ? ctx.ints(node.inputs[1]) : node.getInts('pads');
    if (!pads || pads.length !== 2 * rank) return ctx.block('its pads are not known');
    const padded = [...ctx.axes(x).keys(), ...ctx.axes(y).keys()].filter((k) => pads[k] !== 0 || pads[k + rank] !== 0);
    if (padded.length) return ctx.block('it pads the channel axis');
    coupleAxes(ctx, x, y);
  },
  zero: (node, isZero) => isZero(node.inputs[0]) && padsWithZero(node),
};

function padsWithZero(node: Node): boolean {
  if (node.getString('mode', 'constant') !== 'constant') return true;
  if (node.opset < 11) return node.getFloat('value', 0) === 0;
  const c = node.inputs[2];
  if (!c) return true;
  const t = c.constant;
  return !!t && t.size === 1 && t.toNumbers()[0] === 0;
}

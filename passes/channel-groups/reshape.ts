/**
 * Reshape, Flatten, Squeeze, Unsqueeze: from the input and output shapes, the runs of axes that
 * hold the same elements (see reshape-map.ts). An axis kept as it is keeps its channels; axes
 * merged into one (Flatten after pooling, or after a conv: channel c becomes the block of features
 * c·inner … c·inner + inner − 1) map each output index to its input channel. Splitting a channel
 * axis blocks, except in a channel shuffle (shuffle.ts). Reshape's target shape is rewritten when
 * channels go.
 *
 *   %f = Flatten(%x[N,32,4,4])   f[N,512]: feature j is channel floor(j/16) of x
 */
import { DType } from '../../src/ir/dtype.js';
import { Tensor } from '../../src/ir/tensor.js';
import type { Dim } from '../../src/ir/types.js';
import type { Value } from '../../src/ir/value.js';
import { mergedChannelOf, reshapeBlocks } from './reshape-map.js';
import { matchShuffle, relateShuffle } from './shuffle.js';
import type { ChannelRule, ChannelRuleContext } from './types.js';

export const reshapeRule: ChannelRule = {
  ops: ['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze'],
  relate(ctx) {
    const node = ctx.node;
    const x = node.inputs[0];
    const y = node.outputs[0];
    if (!x || !y) return ctx.block('missing input or output');
    if (node.opType === 'Reshape') {
      const shuffle = matchShuffle(ctx, node);
      if (shuffle) return relateShuffle(ctx, shuffle);
    }
    if (!ctx.axes(x).size && !ctx.axes(y).size) return;
    const inDims = ctx.shape(x);
    const outDims = ctx.shape(y);
    const blocks = inDims && outDims ? reshapeBlocks(inDims, outDims) : undefined;
    if (!inDims || !outDims || !blocks) return ctx.block('its input and output shapes are not known well enough');
    for (const { inAxes, outAxes, opaque } of blocks) {
      const inWith = inAxes.filter((k) => ctx.units(x, k));
      const outWith = outAxes.filter((k) => ctx.units(y, k));
      if (!inWith.length && !outWith.length) continue;
      if (opaque) {
        return ctx.block('it moves channels across axes of unknown size');
      } else if (inAxes.length === 1 && outAxes.length === 1) {
        coupleSame(ctx, x, inAxes[0], y, outAxes[0]);
      } else if (outAxes.length === 1 && inWith.length === 1) {
        const axis = inWith[0];
        const channelOf = mergedChannelOf(inDims as number[], inAxes, axis);
        const xu = ctx.units(x, axis)!;
        const size = outDims[outAxes[0]] as number;
        ctx.assign(y, outAxes[0], Array.from({ length: size }, (_, j) => xu[channelOf(j)]));
      } else if (outAxes.length === 1 && !inWith.length) {
        ctx.pending('the channels of its output come from no channel axis of its input', [y]);
      } else {
        return ctx.block('it splits or mixes a channel axis');
      }
    }
    if (node.opType !== 'Reshape') return;
    const allowZero = node.getInt('allowzero', 0) === 1;
    if (!newShapeExpressible(inDims, outDims, allowZero)) return ctx.block('its target shape has unknown dims that cannot be kept');
    ctx.fixup((apply) => {
      if (!apply.changed(x) && !apply.changed(y)) return;
      const target = outDims.map((d, k) => apply.keep(y, k)?.length ?? d);
      apply.setInputConstant(node, 1, Tensor.fromNumbers(DType.INT64, [target.length], targetShape(inDims, target, allowZero)));
    });
  },
  zero: (node, isZero) => isZero(node.inputs[0]),
};

function coupleSame(ctx: ChannelRuleContext, x: Value, inAxis: number, y: Value, outAxis: number): void {
  const xu = ctx.units(x, inAxis);
  const yu = ctx.units(y, outAxis);
  if (xu) ctx.assign(y, outAxis, xu);
  if (yu) ctx.assign(x, inAxis, yu);
}

/** Unknown output dims are written as 0 (copy the input's at the same position, unless allowzero) or one -1. */
function newShapeExpressible(inDims: readonly Dim[], outDims: readonly Dim[], allowZero: boolean): boolean {
  return outDims.filter((d, k) => typeof d !== 'number' && (allowZero || !copiesInput(inDims, d, k))).length <= 1;
}

function copiesInput(inDims: readonly Dim[], d: Dim, k: number): boolean {
  return d !== null && typeof d !== 'number' && inDims[k] === d;
}

function targetShape(inDims: readonly Dim[], outDims: readonly Dim[], allowZero: boolean): number[] {
  return outDims.map((d, k) => (typeof d === 'number' ? d : !allowZero && copiesInput(inDims, d, k) ? 0 : -1));
}

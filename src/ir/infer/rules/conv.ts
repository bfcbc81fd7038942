import { DType } from '../../dtype.js';
import type { Dim } from '../../types.js';
import { isStaticShape } from '../../types.js';
import type { Rule, RuleContext } from '../context.js';
import { tensorOf, windowSpatial } from './common.js';

/** X [N, C, spatial...] convolved with W [M, C/group, kernel...] gives [N, M, out...]. */
function convShape(ctx: RuleContext, x: number, w: number): Dim[] | undefined {
  const xs = ctx.shape(x);
  const ws = ctx.shape(w);
  if (!xs || xs.length < 3) return ws && ws.length >= 3 ? [null, ws[0], ...ws.slice(2).map(() => null)] : undefined;
  const kernel = ctx.node.getInts('kernel_shape') ?? (ws && isStaticShape(ws.slice(2)) ? (ws.slice(2) as number[]) : undefined);
  return [xs[0], ws ? ws[0] : null, ...windowSpatial(ctx.node, xs.slice(2), kernel)];
}

export const conv: Rule = (ctx) => tensorOf(ctx.dtype(0), convShape(ctx, 0, 1));

export const convInteger: Rule = (ctx) => tensorOf(DType.INT32, convShape(ctx, 0, 1));

/** QLinearConv(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp?): y has y_zero_point's type (x's when absent). */
export const qlinearConv: Rule = (ctx) => tensorOf(ctx.has(7) ? ctx.dtype(7) : ctx.dtype(0), convShape(ctx, 0, 3));

/** ConvTranspose: X [N, C, in...], W [C, M/group, kernel...] gives [N, M, out...]. */
export const convTranspose: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const xs = ctx.shape(0);
  const ws = ctx.shape(1);
  if (!xs || xs.length < 3) return tensorOf(dtype);
  const node = ctx.node;
  const n = xs.length - 2;
  const group = node.getInt('group', 1);
  const channels: Dim = ws && typeof ws[1] === 'number' ? ws[1] * group : null;
  const kernel = node.getInts('kernel_shape') ?? (ws && isStaticShape(ws.slice(2)) ? (ws.slice(2) as number[]) : undefined);
  const outputShape = node.getInts('output_shape');
  if (outputShape) return tensorOf(dtype, [xs[0], channels, ...outputShape.slice(-n)]);
  const strides = node.getInts('strides') ?? new Array<number>(n).fill(1);
  const dilations = node.getInts('dilations') ?? new Array<number>(n).fill(1);
  const outputPadding = node.getInts('output_padding') ?? new Array<number>(n).fill(0);
  const pads = node.getInts('pads') ?? new Array<number>(2 * n).fill(0);
  const autoPad = node.getString('auto_pad', 'NOTSET');
  const spatial = xs.slice(2).map((d, i): Dim => {
    if (typeof d !== 'number') return null;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return d * strides[i];
    if (!kernel) return null;
    const padTotal = autoPad === 'VALID' ? 0 : pads[i] + pads[i + n];
    return strides[i] * (d - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1 - padTotal;
  });
  return tensorOf(dtype, [xs[0], channels, ...spatial]);
};

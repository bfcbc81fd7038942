import { DType } from '../../dtype.js';
import type { Rule, RuleContext } from '../context.js';
import { broadcastShapes } from '../dims.js';
import { dtypeAttr, tensorOf } from './common.js';

/** Shapes of the present inputs broadcast together (numpy rules). */
function broadcastInputs(ctx: RuleContext): ReturnType<typeof broadcastShapes> {
  const shapes = [];
  for (let i = 0; i < ctx.inputCount; i++) if (ctx.has(i)) shapes.push(ctx.shape(i));
  return broadcastShapes(shapes);
}

function firstDType(ctx: RuleContext, from = 0): DType | undefined {
  for (let i = from; i < ctx.inputCount; i++) {
    const d = ctx.dtype(i);
    if (d !== undefined) return d;
  }
  return undefined;
}

/** Add, Max, Sum, ...: inputs of one element type, broadcast together. */
export const broadcast: Rule = (ctx) => tensorOf(firstDType(ctx), broadcastInputs(ctx));

/** Pow, BitShift-like ops whose result has the first input's element type. */
export const broadcastAsFirst: Rule = (ctx) => tensorOf(ctx.dtype(0), broadcastInputs(ctx));

/** Comparisons and logical ops. */
export const broadcastBool: Rule = (ctx) => tensorOf(DType.BOOL, broadcastInputs(ctx));

export const where: Rule = (ctx) => tensorOf(ctx.dtype(1) ?? ctx.dtype(2), broadcastInputs(ctx));

/** IsInf, IsNaN: a bool per element. */
export const boolUnary: Rule = (ctx) => tensorOf(DType.BOOL, ctx.shape(0));

/** PRelu: slope broadcasts to X (unidirectionally), so the output is X's shape. */
export const prelu: Rule = (ctx) => tensorOf(ctx.dtype(0), ctx.shape(0));

export const cast: Rule = (ctx) => tensorOf(dtypeAttr(ctx.node, 'to'), ctx.shape(0));

export const castLike: Rule = (ctx) => tensorOf(ctx.dtype(1), ctx.shape(0));

/** Dropout: output and (opset 7+: bool) mask. */
export const dropout: Rule = (ctx) => [tensorOf(ctx.dtype(0), ctx.shape(0)), tensorOf(ctx.opset >= 7 ? DType.BOOL : ctx.dtype(0), ctx.shape(0))];

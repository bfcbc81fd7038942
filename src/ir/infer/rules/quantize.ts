import { DType } from '../../dtype.js';
import type { Rule } from '../context.js';
import { tensorOf } from './common.js';

/** QuantizeLinear(x, scale, zero_point?): zero_point's type, uint8 without one. */
export const quantizeLinear: Rule = (ctx) => tensorOf(ctx.has(2) ? ctx.dtype(2) : DType.UINT8, ctx.shape(0));

/** DequantizeLinear(x, scale, zero_point?): the scale's type (float before opset 19). */
export const dequantizeLinear: Rule = (ctx) => tensorOf(ctx.dtype(1) ?? DType.FLOAT, ctx.shape(0));

export const dynamicQuantizeLinear: Rule = (ctx) => [tensorOf(DType.UINT8, ctx.shape(0)), tensorOf(DType.FLOAT, []), tensorOf(DType.UINT8, [])];

import { DType } from '../../dtype.js';
import type { Dim } from '../../types.js';
import type { Rule } from '../context.js';
import { broadcastShapes, conflicts } from '../dims.js';
import { tensorOf } from './common.js';

/** numpy.matmul shapes: 1-D operands are promoted and the promoted dim dropped again. */
function matmulShape(a: readonly Dim[] | undefined, b: readonly Dim[] | undefined): Dim[] | undefined {
  if (!a || !b || a.length === 0 || b.length === 0) return undefined;
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  if (conflicts(a2[a2.length - 1], b2[b2.length - 2])) return undefined;
  const batch = broadcastShapes([a2.slice(0, -2), b2.slice(0, -2)]);
  if (!batch) return undefined;
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]);
  if (b.length > 1) out.push(b2[b2.length - 1]);
  return out;
}

export const matmul: Rule = (ctx) => tensorOf(ctx.dtype(0), matmulShape(ctx.shape(0), ctx.shape(1)));

export const matmulInteger: Rule = (ctx) => tensorOf(DType.INT32, matmulShape(ctx.shape(0), ctx.shape(1)));

/** QLinearMatMul(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp): y has y_zero_point's type. */
export const qlinearMatmul: Rule = (ctx) => tensorOf(ctx.dtype(7), matmulShape(ctx.shape(0), ctx.shape(3)));

export const gemm: Rule = (ctx) => {
  const a = ctx.shape(0);
  const b = ctx.shape(1);
  const dtype = ctx.dtype(0);
  if (!a || !b || a.length !== 2 || b.length !== 2) return tensorOf(dtype);
  const [m, ka] = ctx.node.getInt('transA', 0) ? [a[1], a[0]] : a;
  const [kb, n] = ctx.node.getInt('transB', 0) ? [b[1], b[0]] : b;
  if (conflicts(ka, kb)) return tensorOf(dtype);
  return tensorOf(dtype, [m, n]);
};

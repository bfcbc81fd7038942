import { DType } from '../../dtype.js';
import type { Dim } from '../../types.js';
import type { Rule } from '../context.js';
import { dimProduct, normalizeAxis } from '../dims.js';
import type { KnownValue } from '../known-value.js';
import { tensorOf } from './common.js';

/** TopK: the axis dim becomes K (input 1 from opset 10, attribute `k` before); values and int64 indices. */
export const topK: Rule = (ctx) => {
  const s = ctx.shape(0);
  const dtype = ctx.dtype(0);
  if (!s) return [tensorOf(dtype), tensorOf(DType.INT64)];
  const axis = normalizeAxis(ctx.node.getInt('axis', -1), s.length);
  if (axis === undefined) return [tensorOf(dtype), tensorOf(DType.INT64)];
  const k: Dim = ctx.opset < 10 ? ctx.node.getInt('k') ?? null : ctx.value(1)?.data[0] ?? null;
  const out = s.map((d, i) => (i === axis ? k : d));
  return [tensorOf(dtype, out), tensorOf(DType.INT64, out)];
};

/** NonZero: [rank, number of non-zero elements] — a count only known when the input's contents are. */
export const nonZero: Rule = (ctx) => {
  const s = ctx.shape(0);
  const v = ctx.value(0);
  return tensorOf(DType.INT64, [s ? s.length : null, v ? countNonZero(v.data) : null]);
};

/** Compress: the selected axis (or the flattened input) keeps as many entries as the condition has true ones. */
export const compress: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const s = ctx.shape(0);
  const condition = ctx.value(1);
  const axisAttr = ctx.node.getInt('axis');
  if (axisAttr === undefined) {
    const total = s ? dimProduct(s) : null;
    return tensorOf(dtype, [selectedCount(condition, total)]);
  }
  if (!s) return tensorOf(dtype);
  const axis = normalizeAxis(axisAttr, s.length);
  if (axis === undefined) return tensorOf(dtype);
  return tensorOf(dtype, s.map((d, i) => (i === axis ? selectedCount(condition, d) : d)));
};

function selectedCount(condition: KnownValue | undefined, length: Dim): Dim {
  if (!condition || typeof length !== 'number') return null;
  return countNonZero(condition.data.slice(0, length));
}

function countNonZero(data: readonly Dim[]): Dim {
  let n = 0;
  for (const d of data) {
    if (typeof d !== 'number') return null;
    if (d !== 0) n++;
  }
  return n;
}

/**
 * Unique(X): Y, indices, inverse_indices, counts. The number of unique entries is data-dependent
 * (known when X's contents are); inverse_indices has one entry per input element (or per slice).
 */
export const unique: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const s = ctx.shape(0);
  const axisAttr = ctx.node.getInt('axis');
  const v = ctx.value(0);
  if (axisAttr === undefined) {
    const n = v ? distinct(v.data.map((d) => [d])) : null;
    return [tensorOf(dtype, [n]), tensorOf(DType.INT64, [n]), tensorOf(DType.INT64, [s ? dimProduct(s) : null]), tensorOf(DType.INT64, [n])];
  }
  if (!s) return [tensorOf(dtype), tensorOf(DType.INT64, [null]), tensorOf(DType.INT64, [null]), tensorOf(DType.INT64, [null])];
  const axis = normalizeAxis(axisAttr, s.length);
  if (axis === undefined) return [tensorOf(dtype), tensorOf(DType.INT64, [null]), tensorOf(DType.INT64, [null]), tensorOf(DType.INT64, [null])];
  const n = v ? distinct(slicesAlong(v, axis)) : null;
  return [tensorOf(dtype, s.map((d, i) => (i === axis ? n : d))), tensorOf(DType.INT64, [n]), tensorOf(DType.INT64, [s[axis]]), tensorOf(DType.INT64, [n])];
};

function distinct(items: readonly Dim[][]): Dim {
  const seen = new Set<string>();
  for (const item of items) {
    if (item.some((d) => typeof d !== 'number')) return null;
    seen.add(item.join(','));
  }
  return seen.size;
}

/** The sub-tensors of `v` along `axis`, each flattened. */
function slicesAlong(v: KnownValue, axis: number): Dim[][] {
  const outer = v.dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const n = v.dims[axis];
  const inner = v.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out: Dim[][] = Array.from({ length: n }, () => []);
  for (let o = 0; o < outer; o++) for (let k = 0; k < n; k++) out[k].push(...v.data.slice((o * n + k) * inner, (o * n + k + 1) * inner));
  return out;
}

/** NonMaxSuppression: [selected boxes, 3] int64; how many survive depends on the boxes. */
export const nonMaxSuppression: Rule = () => tensorOf(DType.INT64, [null, 3]);

import type { Dim } from '../../types.js';
import type { Rule } from '../context.js';
import { normalizeAxes } from '../dims.js';
import { tensorOf } from './common.js';

/**
 * Resize: output sizes given directly (`sizes`), or floor(input * scale). Inputs: opset 10 (X, scales);
 * opset 11+ (X, roi, scales, sizes); opset 18 adds the `axes` attribute.
 */
export const resize: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const s = ctx.shape(0);
  if (!s) return tensorOf(dtype);
  const axes = normalizeAxes(ctx.node.getInts('axes') ?? s.map((_, i) => i), s.length);
  if (!axes || ctx.node.getString('keep_aspect_ratio_policy', 'stretch') !== 'stretch') return tensorOf(dtype, s.map(() => null));
  const [scalesAt, sizesAt] = ctx.opset < 11 ? [1, -1] : [2, 3];
  const sizes = sizesAt > 0 && ctx.has(sizesAt) ? ctx.value(sizesAt)?.data : undefined;
  if (sizes && sizes.length === axes.length) return tensorOf(dtype, replaced(s, axes, sizes));
  const scales = ctx.has(scalesAt) ? ctx.value(scalesAt)?.data : undefined;
  if (scales && scales.length === axes.length) return tensorOf(dtype, scaled(s, axes, scales));
  return tensorOf(dtype, s.map(() => null));
};

/** Upsample: scales by attribute (opset 7) or input 1 (opset 9). */
export const upsample: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const s = ctx.shape(0);
  if (!s) return tensorOf(dtype);
  const scales = ctx.opset < 9 ? ctx.node.getFloats('scales') : ctx.value(1)?.data;
  if (!scales || scales.length !== s.length) return tensorOf(dtype, s.map(() => null));
  return tensorOf(dtype, scaled(s, s.map((_, i) => i), scales));
};

function replaced(shape: readonly Dim[], axes: readonly number[], sizes: readonly Dim[]): Dim[] {
  const out = [...shape];
  axes.forEach((a, k) => (out[a] = sizes[k]));
  return out;
}

function scaled(shape: readonly Dim[], axes: readonly number[], scales: readonly Dim[]): Dim[] {
  const out = [...shape];
  axes.forEach((a, k) => {
    const d = shape[a];
    const scale = scales[k];
    if (scale === 1) return;
    out[a] = typeof d === 'number' && typeof scale === 'number' ? Math.floor(d * scale) : null;
  });
  return out;
}

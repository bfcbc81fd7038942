import { DType } from '../../dtype.js';
import type { Dim } from '../../types.js';
import type { Rule, RuleContext } from '../context.js';
import { conflicts, dimProduct, divideDims, mulDims, normalizeAxes, unknownDims } from '../dims.js';
import { axesFrom, tensorOf } from './common.js';

/** Shape (opset 15+: start/end, clamped like Python slicing). */
export const shape: Rule = (ctx) => {
  const s = ctx.shape(0);
  if (!s) return tensorOf(DType.INT64, [null]);
  const range = shapeRange(ctx, s.length);
  return tensorOf(DType.INT64, [range.end - range.start]);
};

export function shapeRange(ctx: RuleContext, rank: number): { start: number; end: number } {
  const clamp = (x: number): number => Math.min(Math.max(x < 0 ? x + rank : x, 0), rank);
  const start = clamp(ctx.node.getInt('start', 0));
  const end = clamp(ctx.node.getInt('end', rank));
  return { start, end: Math.max(start, end) };
}

export const size: Rule = () => tensorOf(DType.INT64, []);

/**
 * Reshape's output shape from its target: 0 copies the input dim (unless allowzero), -1 is what is
 * left of the element count; symbolic entries (from Shape of a symbolic tensor) stay symbolic.
 */
export function reshapeTarget(input: readonly Dim[] | undefined, target: readonly Dim[], allowZero: boolean): Dim[] | undefined {
  let inferred = -1;
  const out: Dim[] = [];
  for (let i = 0; i < target.length; i++) {
    const t = target[i];
    if (t === -1) {
      if (inferred >= 0) return undefined;
      inferred = i;
      out.push(null);
    } else if (t === 0 && !allowZero) {
      if (input && i >= input.length) return undefined;
      out.push(input ? input[i] : null);
    } else if (typeof t === 'number') {
      if (t < 0 || !Number.isInteger(t)) return undefined;
      out.push(t);
    } else out.push(t);
  }
  if (inferred >= 0 && input) out[inferred] = divideDims(input, out.filter((_, i) => i !== inferred));
  return out;
}

export const reshape: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const input = ctx.shape(0);
  const target = ctx.opset < 5 ? ctx.node.getInts('shape') : ctx.value(1)?.data;
  if (target) return tensorOf(dtype, reshapeTarget(input, target, ctx.node.getInt('allowzero', 0) !== 0));
  const rank = ctx.shape(1)?.[0];
  return tensorOf(dtype, unknownDims(rank));
};

export const flatten: Rule = (ctx) => {
  const s = ctx.shape(0);
  if (!s) return tensorOf(ctx.dtype(0), [null, null]);
  let axis = ctx.node.getInt('axis', 1);
  if (axis < 0) axis += s.length;
  if (axis < 0 || axis > s.length) return tensorOf(ctx.dtype(0));
  return tensorOf(ctx.dtype(0), [dimProduct(s.slice(0, axis)), dimProduct(s.slice(axis))]);
};

export const squeeze: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const s = ctx.shape(0);
  if (!s) return tensorOf(dtype);
  const given = axesFrom(ctx, 1);
  if (given === undefined) return tensorOf(dtype, squeezeUnknownAxes(s, axisCount(ctx)));
  if (given === 'absent') return tensorOf(dtype, s.every((d) => typeof d === 'number') ? s.filter((d) => d !== 1) : undefined);
  const axes = normalizeAxes(given, s.length);
  if (!axes || axes.some((a) => conflicts(s[a], 1))) return tensorOf(dtype);
  return tensorOf(dtype, s.filter((_, i) => !axes.includes(i)));
};

export const unsqueeze: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const s = ctx.shape(0);
  const given = axesFrom(ctx, 1);
  if (!s || given === 'absent') return tensorOf(dtype);
  if (given === undefined) {
    const count = axisCount(ctx);
    return tensorOf(dtype, count === undefined ? undefined : unknownDims(s.length + count));
  }
  const rank = s.length + given.length;
  const axes = normalizeAxes(given, rank);
  if (!axes) return tensorOf(dtype);
  const out: Dim[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) out.push(axes.includes(i) ? 1 : s[next++]);
  return tensorOf(dtype, out);
};

/** How many axes an axes input lists, from its static 1-D shape. */
function axisCount(ctx: RuleContext): number | undefined {
  const s = ctx.shape(1);
  return s && s.length === 1 && typeof s[0] === 'number' ? s[0] : undefined;
}

/**
 * Squeeze by `count` axes not known: only dims that may be 1 can go, so when exactly `count` of them
 * may be, those are the ones; otherwise only the rank is known.
 */
function squeezeUnknownAxes(s: readonly Dim[], count: number | undefined): Dim[] | undefined {
  if (count === undefined) return undefined;
  const candidates = s.filter((d) => typeof d !== 'number' || d === 1).length;
  if (candidates === count) return s.filter((d) => typeof d === 'number' && d !== 1);
  return unknownDims(s.length - count);
}

export const transpose: Rule = (ctx) => {
  const s = ctx.shape(0);
  if (!s) return tensorOf(ctx.dtype(0));
  const perm = ctx.node.getInts('perm') ?? s.map((_, i) => s.length - 1 - i);
  if (perm.length !== s.length || normalizeAxes(perm, s.length) === undefined) return tensorOf(ctx.dtype(0));
  return tensorOf(ctx.dtype(0), perm.map((p) => s[p]));
};

export const depthToSpace: Rule = (ctx) => {
  const s = ctx.shape(0);
  const b = ctx.node.getInt('blocksize', 1);
  if (!s || s.length !== 4) return tensorOf(ctx.dtype(0));
  return tensorOf(ctx.dtype(0), [s[0], divideDims([s[1]], [b * b]), mulDims(s[2], b), mulDims(s[3], b)]);
};

export const spaceToDepth: Rule = (ctx) => {
  const s = ctx.shape(0);
  const b = ctx.node.getInt('blocksize', 1);
  if (!s || s.length !== 4) return tensorOf(ctx.dtype(0));
  return tensorOf(ctx.dtype(0), [s[0], mulDims(s[1], b * b), divideDims([s[2]], [b]), divideDims([s[3]], [b])]);
};

import { DType } from '../../dtype.js';
import type { Dim } from '../../types.js';
import type { Rule, RuleContext } from '../context.js';
import { addDims, conflicts, mulDims, normalizeAxes, normalizeAxis, sliceBounds, unifyDim, unknownDims } from '../dims.js';
import { tensorOf } from './common.js';

/** Concat: the axis dim adds up, every other dim is shared. */
export const concat: Rule = (ctx) => {
  let dtype: DType | undefined;
  let rank: number | undefined;
  for (let i = 0; i < ctx.inputCount; i++) {
    dtype ??= ctx.dtype(i);
    rank ??= ctx.shape(i)?.length;
  }
  if (rank === undefined) return tensorOf(dtype);
  const axis = normalizeAxis(ctx.node.getInt('axis', 0), rank);
  if (axis === undefined) return tensorOf(dtype);
  const out: Dim[] = new Array<Dim>(rank).fill(null);
  let total: Dim = 0;
  for (let i = 0; i < ctx.inputCount; i++) {
    const s = ctx.shape(i);
    if (!s) {
      total = null;
      continue;
    }
    if (s.length !== rank) return tensorOf(dtype);
    for (let k = 0; k < rank; k++) {
      if (k === axis) continue;
      if (conflicts(out[k], s[k])) return tensorOf(dtype);
      out[k] = unifyDim(out[k], s[k]);
    }
    total = addDims(total, s[axis]);
  }
  out[axis] = total;
  return tensorOf(dtype, out);
};

/** Split: sizes from the `split` input/attribute, else equal parts (the last one smaller, opset 18). */
export const split: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const count = ctx.node.outputs.length;
  const s = ctx.shape(0);
  if (!s) return new Array(count).fill(tensorOf(dtype));
  const axis = normalizeAxis(ctx.node.getInt('axis', 0), s.length);
  if (axis === undefined) return new Array(count).fill(tensorOf(dtype));
  const sizes = splitSizes(ctx, s[axis], count);
  return sizes.map((d) => tensorOf(dtype, s.map((x, i) => (i === axis ? d : x))));
};

function splitSizes(ctx: RuleContext, dim: Dim, count: number): Dim[] {
  const explicit = ctx.opset >= 13 ? (ctx.has(1) ? ctx.ints(1) ?? 'unknown' : undefined) : ctx.node.getInts('split');
  if (explicit === 'unknown') return new Array<Dim>(count).fill(null);
  if (explicit) return Array.from({ length: count }, (_, i) => explicit[i] ?? null);
  // before opset 18 the parts must be equal; from 18 on the last one may be smaller
  if (typeof dim !== 'number' || (ctx.opset < 18 && dim % count !== 0)) return new Array<Dim>(count).fill(null);
  const part = Math.ceil(dim / count);
  return Array.from({ length: count }, (_, i) => (i < count - 1 ? part : dim - part * (count - 1)));
}

/** Slice: starts/ends/axes/steps by attribute (before opset 10) or by input. */
export const slice: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const s = ctx.shape(0);
  if (!s) return tensorOf(dtype);
  const args = sliceArgs(ctx);
  if (!args.axes) return tensorOf(dtype, s.map(() => null));
  const axes = normalizeAxes(args.axes, s.length);
  if (!axes) return tensorOf(dtype);
  const out = [...s];
  axes.forEach((axis, k) => {
    out[axis] = slicedDim(s[axis], args.starts?.[k], args.ends?.[k], args.steps ? args.steps[k] : 1);
  });
  return tensorOf(dtype, out);
};

export interface SliceArgs {
  starts?: Dim[];
  ends?: Dim[];
  axes?: number[];
  steps?: Dim[];
}

export function sliceArgs(ctx: RuleContext): SliceArgs {
  if (ctx.opset < 10) {
    const starts = ctx.node.getInts('starts');
    return { starts, ends: ctx.node.getInts('ends'), axes: ctx.node.getInts('axes') ?? starts?.map((_, i) => i) };
  }
  const starts = ctx.value(1)?.data;
  const ends = ctx.value(2)?.data;
  const length = starts?.length ?? ends?.length ?? ctx.shape(1)?.[0];
  const axes = ctx.has(3) ? ctx.ints(3) : typeof length === 'number' ? Array.from({ length }, (_, i) => i) : undefined;
  const steps = ctx.has(4) ? ctx.value(4)?.data : undefined;
  return { starts, ends, axes, steps: ctx.has(4) && !steps ? axes?.map(() => null) : steps };
}

function slicedDim(dim: Dim, start: Dim | undefined, end: Dim | undefined, step: Dim | undefined): Dim {
  if (typeof start !== 'number' || typeof step !== 'number') return null;
  if (typeof dim === 'number' && typeof end === 'number') return sliceBounds(dim, start, end, step)?.count ?? null;
  const wholeDim = end === dim || (typeof end === 'number' && end >= 2 ** 31 - 1);
  return start === 0 && step === 1 && wholeDim ? dim : null;
}

export const expand: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const input = ctx.shape(0);
  const target = ctx.value(1)?.data ?? staticLength(ctx.shape(1));
  if (!input || !target) return tensorOf(dtype);
  const rank = Math.max(input.length, target.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const a = i < rank - input.length ? 1 : input[i - (rank - input.length)];
    const b = i < rank - target.length ? 1 : target[i - (rank - target.length)];
    if (conflicts(a, b) && a !== 1 && b !== 1) return tensorOf(dtype);
    out.push(expandDim(a, b));
  }
  return tensorOf(dtype, out);
};

/** Expand's broadcast of one dim: a target 1 keeps the input's size. */
function expandDim(input: Dim, target: Dim): Dim {
  if (target === 1) return input;
  if (input === 1) return target;
  if (typeof input === 'number') return input;
  if (typeof target === 'number') return target;
  return input !== null && input === target ? input : null;
}

/** A list of `length` unknown entries for a 1-D input of static length. */
function staticLength(s: Dim[] | undefined): Dim[] | undefined {
  return s && s.length === 1 ? unknownDims(s[0]) : undefined;
}

export const tile: Rule = (ctx) => {
  const s = ctx.shape(0);
  if (!s) return tensorOf(ctx.dtype(0));
  const repeats = ctx.value(1)?.data;
  return tensorOf(ctx.dtype(0), s.map((d, i) => (repeats ? mulDims(d, repeats[i] ?? null) : d === 0 ? 0 : null)));
};

/** Pad: pads from attribute (before opset 11) or input 1; opset 18 may restrict them to `axes` (input 3). */
export const pad: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const s = ctx.shape(0);
  if (!s) return tensorOf(dtype);
  const pads = ctx.opset < 11 ? ctx.node.getInts(ctx.opset < 2 ? 'paddings' : 'pads') : ctx.value(1)?.data;
  let axes: number[] | undefined = s.map((_, i) => i);
  if (ctx.has(3)) axes = normalizeAxes(ctx.ints(3) ?? [], s.length);
  if (!pads || !axes || pads.length !== 2 * axes.length) return tensorOf(dtype, s.map(() => null));
  const out = [...s];
  axes.forEach((a, k) => {
    out[a] = addDims(addDims(s[a], pads[k]), pads[k + axes!.length]);
  });
  return tensorOf(dtype, out);
};

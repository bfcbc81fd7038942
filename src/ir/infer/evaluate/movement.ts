import { DType } from '../../dtype.js';
import type { Dim, ValueType } from '../../types.js';
import type { Evaluator, Rule } from '../context.js';
import { dimProduct, normalizeAxes, normalizeAxis, sliceBounds } from '../dims.js';
import { KnownValue, MAX_KNOWN_ELEMENTS, known, knownFromTensor } from '../known-value.js';
import { dtypeAttr } from '../rules/common.js';
import { rangeLength } from '../rules/generate.js';
import { sliceArgs } from '../rules/concat-slice.js';
import { flatten, reshape, shapeRange, squeeze, unsqueeze } from '../rules/shape-ops.js';
import { broadcastIndices, fit, strides } from './elements.js';

/** Ops that keep the elements in order and only change the shape: the rule says which shape. */
function relayout(rule: Rule): Evaluator {
  return (ctx) => {
    const v = ctx.value(0);
    const t = rule(ctx) as ValueType | undefined;
    if (!v || t?.kind !== 'tensor' || !t.shape || !t.shape.every((d): d is number => typeof d === 'number')) return undefined;
    return known(v.dtype, t.shape, v.data);
  };
}

/** Output coords to input flat index for an op that picks along axes (Slice, Gather, Transpose). */
function gatherBy(outDims: number[], source: KnownValue, pick: (coord: number[]) => number): KnownValue | undefined {
  if (!outDims.every((d) => Number.isSafeInteger(d) && d >= 0)) return undefined;
  const total = outDims.reduce((a, b) => a * b, 1);
  if (total > MAX_KNOWN_ELEMENTS) return undefined;
  const data = new Array<Dim>(total);
  const coord = new Array<number>(outDims.length).fill(0);
  for (let flat = 0; flat < total; flat++) {
    data[flat] = source.data[pick(coord)] ?? null;
    for (let d = outDims.length - 1; d >= 0; d--) {
      if (++coord[d] < outDims[d]) break;
      coord[d] = 0;
    }
  }
  return known(source.dtype, outDims, data);
}

function flatIndex(dims: readonly number[], coord: readonly number[]): number {
  const s = strides(dims);
  let index = 0;
  for (let i = 0; i < dims.length; i++) index += coord[i] * s[i];
  return index;
}

export const MOVEMENT: Record<string, Evaluator> = {
  Identity: (ctx) => ctx.value(0),
  Reshape: relayout(reshape),
  Flatten: relayout(flatten),
  Squeeze: relayout(squeeze),
  Unsqueeze: relayout(unsqueeze),

  Shape: (ctx) => {
    const s = ctx.shape(0);
    if (!s) return undefined;
    const { start, end } = shapeRange(ctx, s.length);
    return known(DType.INT64, [end - start], s.slice(start, end));
  },
  Size: (ctx) => {
    const s = ctx.shape(0);
    return s && known(DType.INT64, [], [dimProduct(s)]);
  },

  Gather: (ctx) => {
    const v = ctx.value(0);
    const indices = ctx.value(1);
    const idx = ctx.ints(1);
    if (!v || !indices || !idx) return undefined;
    const axis = normalizeAxis(ctx.node.getInt('axis', 0), v.dims.length);
    if (axis === undefined) return undefined;
    const n = v.dims[axis];
    if (idx.some((i) => i < -n || i >= n)) return undefined;
    const outDims = [...v.dims.slice(0, axis), ...indices.dims, ...v.dims.slice(axis + 1)];
    const r = indices.dims.length;
    return gatherBy(outDims, v, (c) => {
      const i = idx[flatIndex(indices.dims, c.slice(axis, axis + r))];
      return flatIndex(v.dims, [...c.slice(0, axis), i < 0 ? i + n : i, ...c.slice(axis + r)]);
    });
  },

  Slice: (ctx) => {
    const v = ctx.value(0);
    if (!v) return undefined;
    const args = sliceArgs(ctx);
    const axes = args.axes && normalizeAxes(args.axes, v.dims.length);
    if (!axes) return undefined;
    const starts = v.dims.map(() => 0);
    const steps = v.dims.map(() => 1);
    const outDims = [...v.dims];
    for (let k = 0; k < axes.length; k++) {
      const [s, e, st] = [args.starts?.[k], args.ends?.[k], args.steps ? args.steps[k] : 1];
      if (typeof s !== 'number' || typeof e !== 'number' || typeof st !== 'number') return undefined;
      const b = sliceBounds(v.dims[axes[k]], s, e, st);
      if (!b) return undefined;
      [starts[axes[k]], steps[axes[k]], outDims[axes[k]]] = [b.start, st, b.count];
    }
    return gatherBy(outDims, v, (c) => flatIndex(v.dims, c.map((x, i) => starts[i] + x * steps[i])));
  },

  Concat: (ctx) => {
    const values: KnownValue[] = [];
    for (let i = 0; i < ctx.inputCount; i++) {
      const v = ctx.value(i);
      if (!v) return undefined;
      values.push(v);
    }
    if (values.length === 0) return undefined;
    const rank = values[0].dims.length;
    const axis = normalizeAxis(ctx.node.getInt('axis', 0), rank);
    if (axis === undefined || values.some((v) => v.dims.length !== rank)) return undefined;
    const outer = values[0].dims.slice(0, axis).reduce((a, b) => a * b, 1);
    const data: Dim[] = [];
    for (let o = 0; o < outer; o++) {
      for (const v of values) {
        const chunk = v.dims.slice(axis).reduce((a, b) => a * b, 1);
        data.push(...v.data.slice(o * chunk, (o + 1) * chunk));
      }
    }
    const outDims = [...values[0].dims];
    outDims[axis] = values.reduce((n, v) => n + v.dims[axis], 0);
    return known(values[0].dtype, outDims, data);
  },

  Transpose: (ctx) => {
    const v = ctx.value(0);
    if (!v) return undefined;
    const perm = ctx.node.getInts('perm') ?? v.dims.map((_, i) => v.dims.length - 1 - i);
    if (!normalizeAxes(perm, v.dims.length) || perm.length !== v.dims.length) return undefined;
    return gatherBy(perm.map((p) => v.dims[p]), v, (c) => {
      const source = new Array<number>(c.length);
      perm.forEach((p, i) => (source[p] = c[i]));
      return flatIndex(v.dims, source);
    });
  },

  Expand: (ctx) => {
    const v = ctx.value(0);
    const target = ctx.ints(1);
    if (!v || !target || target.some((d) => !Number.isSafeInteger(d) || d < 0)) return undefined;
    const rank = Math.max(v.dims.length, target.length);
    const pad = (d: readonly number[]): number[] => [...new Array<number>(rank - d.length).fill(1), ...d];
    const a = pad(v.dims);
    const b = pad(target);
    const outDims = a.map((x, i) => (x === 1 ? b[i] : x));
    if (outDims.some((d, i) => b[i] !== 1 && b[i] !== d) || outDims.reduce((n, d) => n * d, 1) > MAX_KNOWN_ELEMENTS) return undefined;
    const map = broadcastIndices(outDims, v.dims);
    return known(v.dtype, outDims, map.map((i) => v.data[i]));
  },

  Tile: (ctx) => {
    const v = ctx.value(0);
    const repeats = ctx.ints(1);
    if (!v || !repeats || repeats.length !== v.dims.length) return undefined;
    return gatherBy(v.dims.map((d, i) => d * repeats[i]), v, (c) => flatIndex(v.dims, c.map((x, i) => x % v.dims[i])));
  },

  Constant: (ctx) => {
    const a = ctx.node.attributes[0];
    if (!a || ctx.node.attributes.length !== 1) return undefined;
    if (a.type === 'float') return known(DType.FLOAT, [], [a.value]);
    if (a.type === 'floats') return known(DType.FLOAT, [a.value.length], a.value);
    if (a.type === 'int') return known(DType.INT64, [], [Number(a.value)]);
    if (a.type === 'ints') return known(DType.INT64, [a.value.length], a.value.map(Number));
    if (a.type === 'tensor' || a.type === 'sparse_tensor') return knownFromTensor(a.value);
    return undefined;
  },

  ConstantOfShape: (ctx) => {
    const dims = ctx.ints(0);
    if (!dims || dims.some((d) => !Number.isSafeInteger(d) || d < 0)) return undefined;
    const fillTensor = ctx.node.getTensor('value');
    const fill = fillTensor ? knownFromTensor(fillTensor)?.data[0] ?? null : 0;
    const dtype = fillTensor?.dtype ?? DType.FLOAT;
    const total = dims.reduce((a, b) => a * b, 1);
    return total <= MAX_KNOWN_ELEMENTS ? known(dtype, dims, new Array<Dim>(total).fill(fill)) : undefined;
  },

  Range: (ctx) => {
    const [start, limit, delta] = [ctx.ints(0)?.[0], ctx.ints(1)?.[0], ctx.ints(2)?.[0]];
    const n = rangeLength(start, limit, delta);
    const dtype = ctx.value(0)?.dtype;
    if (typeof n !== 'number' || n > MAX_KNOWN_ELEMENTS || start === undefined || delta === undefined || dtype === undefined) return undefined;
    return known(dtype, [n], Array.from({ length: n }, (_, i) => fit(dtype, start + i * delta)));
  },

  EyeLike: (ctx) => {
    const s = ctx.shape(0);
    const dtype = dtypeAttr(ctx.node, 'dtype', ctx.dtype(0));
    if (!s || s.length !== 2 || typeof s[0] !== 'number' || typeof s[1] !== 'number' || dtype === undefined) return undefined;
    const [rows, cols] = [s[0], s[1]];
    const k = ctx.node.getInt('k', 0);
    return known(dtype, [rows, cols], Array.from({ length: rows * cols }, (_, i) => Number(i % cols - Math.floor(i / cols) === k)));
  },
};

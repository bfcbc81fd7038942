import type { Dim, ValueType } from '../types.js';

/** Two dims that certainly differ: different static sizes. */
export function conflicts(a: Dim, b: Dim): boolean {
  return typeof a === 'number' && typeof b === 'number' && a !== b;
}

/** The better-known of two dims asserted equal (Concat's non-axis dims, MatMul's K, ...). */
export function unifyDim(a: Dim, b: Dim): Dim {
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return a ?? b;
}

/**
 * Numpy broadcasting of one dim pair. A symbolic name could stand for 1, so 'N' vs 'M' is unknown,
 * while a static size other than 1 wins over anything it is compatible with.
 */
export function broadcastDim(a: Dim, b: Dim): Dim | 'conflict' {
  if (a === 1) return b;
  if (b === 1) return a;
  if (typeof a === 'number' && typeof b === 'number') return a === b ? a : 'conflict';
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return a !== null && a === b ? a : null;
}

/** Multidirectional broadcasting; undefined when a rank is unknown or static sizes disagree. */
export function broadcastShapes(shapes: readonly (readonly Dim[] | undefined)[]): Dim[] | undefined {
  let out: Dim[] = [];
  for (const s of shapes) {
    if (s === undefined) return undefined;
    const rank = Math.max(out.length, s.length);
    const next: Dim[] = [];
    for (let i = 0; i < rank; i++) {
      const a = i < rank - out.length ? 1 : out[i - (rank - out.length)];
      const b = i < rank - s.length ? 1 : s[i - (rank - s.length)];
      const d = broadcastDim(a, b);
      if (d === 'conflict') return undefined;
      next.push(d);
    }
    out = next;
  }
  return out;
}

/** A possibly negative axis as an index in [0, rank), or undefined when out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return Number.isInteger(a) && a >= 0 && a < rank ? a : undefined;
}

export function normalizeAxes(axes: readonly number[], rank: number): number[] | undefined {
  const out: number[] = [];
  for (const axis of axes) {
    const a = normalizeAxis(axis, rank);
    if (a === undefined || out.includes(a)) return undefined;
    out.push(a);
  }
  return out;
}

/** Product of dims: static, or a single symbolic factor times 1, else unknown. */
export function dimProduct(dims: readonly Dim[]): Dim {
  if (dims.includes(0)) return 0;
  let n = 1;
  const symbols: Dim[] = [];
  for (const d of dims) {
    if (typeof d === 'number') n *= d;
    else symbols.push(d);
  }
  if (symbols.length === 0) return n;
  return symbols.length === 1 && n === 1 ? symbols[0] : null;
}

/**
 * `total / product(divisor)` when it can be stated without inventing a size: symbolic factors common
 * to both sides cancel, and what is left must be a static quotient or one name (Reshape's -1).
 */
export function divideDims(total: readonly Dim[], divisor: readonly Dim[]): Dim {
  if (total.includes(null) || divisor.includes(null)) return null;
  const names = total.filter((d): d is string => typeof d === 'string');
  for (const d of divisor) {
    if (typeof d !== 'string') continue;
    const at = names.indexOf(d);
    if (at < 0) return null;
    names.splice(at, 1);
  }
  const product = (dims: readonly Dim[]): number => dims.reduce<number>((n, d) => (typeof d === 'number' ? n * d : n), 1);
  const [n, k] = [product(total), product(divisor)];
  if (k === 0 || n % k !== 0) return null;
  if (names.length === 0 || n === 0) return n / k;
  return names.length === 1 && n === k ? names[0] : null;
}

export function addDims(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (a === 0) return b;
  if (b === 0) return a;
  return null;
}

/** The type that covers both (If branches, loop-carried values): equal parts kept, the rest unknown. */
export function mergeTypes(a: ValueType | undefined, b: ValueType | undefined): ValueType | undefined {
  if (!a || !b || a.kind !== b.kind) return undefined;
  switch (a.kind) {
    case 'tensor':
    case 'sparse_tensor': {
      const bt = b as typeof a;
      if (a.dtype !== bt.dtype) return undefined;
      const shape = mergeShapes(a.shape, bt.shape);
      return shape ? { kind: a.kind, dtype: a.dtype, shape } : { kind: a.kind, dtype: a.dtype };
    }
    case 'sequence':
    case 'optional': {
      const elem = mergeTypes(a.elem, (b as typeof a).elem);
      return elem ? { kind: a.kind, elem } : { kind: a.kind };
    }
    case 'map': {
      const bm = b as typeof a;
      if (a.key !== bm.key) return undefined;
      const value = mergeTypes(a.value, bm.value);
      return value ? { kind: 'map', key: a.key, value } : { kind: 'map', key: a.key };
    }
  }
}

function mergeShapes(a: readonly Dim[] | undefined, b: readonly Dim[] | undefined): Dim[] | undefined {
  if (!a || !b || a.length !== b.length) return undefined;
  return a.map((d, i) => (d === b[i] ? d : null));
}

export function sameType(a: ValueType | undefined, b: ValueType | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'tensor':
    case 'sparse_tensor': {
      const bt = b as typeof a;
      return a.dtype === bt.dtype && sameShape(a.shape, bt.shape);
    }
    case 'sequence':
    case 'optional':
      return sameType(a.elem, (b as typeof a).elem);
    case 'map':
      return a.key === (b as typeof a).key && sameType(a.value, (b as typeof a).value);
  }
}

function sameShape(a: readonly Dim[] | undefined, b: readonly Dim[] | undefined): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function mulDims(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if (a === 0 || b === 0) return 0;
  if (a === 1) return b;
  if (b === 1) return a;
  return null;
}

/** Elements Python-style slicing `[start:end:step]` selects from a dim of static size `dim` (ONNX Slice clamping). */
export function sliceBounds(dim: number, start: number, end: number, step: number): { start: number; count: number } | undefined {
  if (step === 0 || !Number.isFinite(step)) return undefined;
  const clamp = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = clamp(s, 0, dim);
    e = clamp(e, 0, dim);
  } else {
    s = clamp(s, 0, dim - 1);
    e = clamp(e, -1, dim - 1);
  }
  return { start: s, count: Math.max(0, Math.ceil((e - s) / step)) };
}

/** Ranks beyond this are not real tensors; a hostile shape input must not make inference allocate. */
export const MAX_RANK = 64;

/** `rank` unknown dims, or undefined when the rank is not a plausible one. */
export function unknownDims(rank: Dim | undefined): Dim[] | undefined {
  return typeof rank === 'number' && Number.isInteger(rank) && rank >= 0 && rank <= MAX_RANK ? new Array<Dim>(rank).fill(null) : undefined;
}

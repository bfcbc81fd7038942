import { DType, isFloat } from '../dtype.js';
import { float32ToBfloat16, float32ToFloat16 } from '../float16.js';
import { Tensor, elementCount } from '../tensor.js';
import type { Dim } from '../types.js';

/**
 * What inference knows about a small tensor's contents: a shape computation's intermediate
 * (Shape → Gather → Concat → Reshape). Elements are numbers, a symbolic dim name where the element
 * is a dim of some tensor ("batch"), or null where nothing is known. `dims` is always static.
 */
export interface KnownValue {
  dtype: DType;
  dims: number[];
  data: Dim[];
}

/** Larger tensors are not shape computations; tracking them would only cost memory. */
export const MAX_KNOWN_ELEMENTS = 4096;

export function knownFromTensor(t: Tensor): KnownValue | undefined {
  if (!trackable(t.dtype) || t.size > MAX_KNOWN_ELEMENTS) return undefined;
  try {
    return { dtype: t.dtype, dims: [...t.dims], data: t.toNumbers() };
  } catch {
    return undefined;
  }
}

export function known(dtype: DType, dims: number[], data: Dim[]): KnownValue | undefined {
  if (data.length !== elementCount(dims) || data.length > MAX_KNOWN_ELEMENTS) return undefined;
  return { dtype, dims, data };
}

/** The elements as numbers when every one is known, else undefined. */
export function staticData(v: KnownValue | undefined): number[] | undefined {
  if (!v || !v.data.every((d) => typeof d === 'number')) return undefined;
  return v.data as number[];
}

/**
 * A fully known value as a tensor (what `simplify-shapes` folds into an initializer). Integers
 * beyond 2^53 (INT64_MAX as Slice's "to the end") are held inexactly and are not turned back into data.
 */
export function knownToTensor(v: KnownValue): Tensor | undefined {
  const data = staticData(v);
  if (!data || !trackable(v.dtype)) return undefined;
  if (!isFloat(v.dtype) && !data.every(Number.isSafeInteger)) return undefined;
  const encode = v.dtype === DType.FLOAT16 ? float32ToFloat16 : v.dtype === DType.BFLOAT16 ? float32ToBfloat16 : null;
  try {
    return Tensor.fromNumbers(v.dtype, v.dims, encode ? data.map(encode) : data);
  } catch {
    return undefined;
  }
}

const TRACKABLE = new Set([
  DType.FLOAT, DType.DOUBLE, DType.FLOAT16, DType.BFLOAT16, DType.BOOL,
  DType.INT8, DType.INT16, DType.INT32, DType.INT64, DType.UINT8, DType.UINT16, DType.UINT32, DType.UINT64,
]);

/** Dtypes whose elements `Tensor.toNumbers` gives as plain numbers (not raw float8/4-bit bits, not strings). */
export function trackable(dtype: DType): boolean {
  return TRACKABLE.has(dtype);
}

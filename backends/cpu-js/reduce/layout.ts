/**
 * Where the elements of a reduction live: the offset of each kept position and of each reduced
 * position, so that element (k, r) is x[kept[k] + reduced[r]] whatever the axes. Computed once per
 * kernel; run-time loops are two table lookups.
 */
import { stridesOf } from '../axes.js';
import { offsetsOf } from '../index-walk.js';

export interface ReductionLayout {
  kept: Int32Array;
  reduced: Int32Array;
  /** Dims of the result with reduced axes kept as 1 (keepdims). */
  keptDims: number[];
}

/** `axes` must be normalized (non-negative, distinct). */
export function reductionLayout(dims: readonly number[], axes: readonly number[]): ReductionLayout {
  const strides = stridesOf(dims);
  const keptAxes = dims.map((_, i) => i).filter((i) => !axes.includes(i));
  const sortedAxes = [...axes].sort((a, b) => a - b);
  return {
    kept: offsetsOf(keptAxes.map((i) => dims[i]), keptAxes.map((i) => strides[i])),
    reduced: offsetsOf(sortedAxes.map((i) => dims[i]), sortedAxes.map((i) => strides[i])),
    keptDims: dims.map((d, i) => (axes.includes(i) ? 1 : d)),
  };
}

/** Taking one slice along an axis and stacking slices along a new axis (Scan, Loop, sequence ops). */
import { ShearsError } from '../../src/error.js';
import type { DType } from '../../src/ir/dtype.js';
import { Tensor, elementCount } from '../../src/ir/tensor.js';
import { formatShape } from '../../src/ir/types.js';
import { allocTensor } from './tensors.js';

/** Element `index` along `axis`, with that axis removed. */
export function sliceAt(t: Tensor, axis: number, index: number): Tensor {
  const outer = elementCount(t.dims.slice(0, axis));
  const size = t.dims[axis];
  const inner = elementCount(t.dims.slice(axis + 1));
  const out = allocTensor(t.dtype, [...t.dims.slice(0, axis), ...t.dims.slice(axis + 1)]);
  const src = t.data as ArrayLike<unknown>;
  const dst = out.data as unknown[];
  for (let o = 0; o < outer; o++) {
    const from = (o * size + index) * inner;
    for (let i = 0; i < inner; i++) dst[o * inner + i] = src[from + i];
  }
  return out;
}

/** Tensors of equal shape stacked along a new axis `axis`; `empty` gives dtype and dims when there are none. */
export function stack(parts: readonly Tensor[], axis: number, empty?: { dtype: DType; dims: readonly number[] }): Tensor {
  if (parts.length === 0) {
    if (!empty) throw new ShearsError('E_SHAPE', 'cannot stack zero tensors of unknown shape');
    return allocTensor(empty.dtype, [...empty.dims.slice(0, axis), 0, ...empty.dims.slice(axis)]);
  }
  const dims = parts[0].dims;
  for (const p of parts) {
    if (p.dims.length !== dims.length || p.dims.some((d, i) => d !== dims[i])) {
      throw new ShearsError('E_SHAPE', `cannot stack tensors of shapes ${formatShape([...dims])} and ${formatShape([...p.dims])}`);
    }
  }
  const outer = elementCount(dims.slice(0, axis));
  const inner = elementCount(dims.slice(axis));
  const n = parts.length;
  const out = allocTensor(parts[0].dtype, [...dims.slice(0, axis), n, ...dims.slice(axis)]);
  const dst = out.data as unknown[];
  parts.forEach((p, k) => {
    const src = p.data as ArrayLike<unknown>;
    for (let o = 0; o < outer; o++) {
      const to = (o * n + k) * inner;
      for (let i = 0; i < inner; i++) dst[to + i] = src[o * inner + i];
    }
  });
  return out;
}

/** Tensors joined along an existing axis. */
export function concatenate(parts: readonly Tensor[], axis: number): Tensor {
  const first = parts[0];
  const dims = [...first.dims];
  dims[axis] = parts.reduce((n, p) => n + p.dims[axis], 0);
  const out = allocTensor(first.dtype, dims);
  const outer = elementCount(dims.slice(0, axis));
  const row = elementCount(dims.slice(axis));
  const dst = out.data as unknown[];
  let at = 0;
  for (const p of parts) {
    const block = elementCount(p.dims.slice(axis));
    const src = p.data as ArrayLike<unknown>;
    for (let o = 0; o < outer; o++) for (let i = 0; i < block; i++) dst[o * row + at + i] = src[o * block + i];
    at += block;
  }
  return out;
}

/** Consecutive pieces along `axis` with the given sizes. */
export function split(t: Tensor, axis: number, sizes: readonly number[]): Tensor[] {
  const outer = elementCount(t.dims.slice(0, axis));
  const inner = elementCount(t.dims.slice(axis + 1));
  const row = t.dims[axis] * inner;
  const src = t.data as ArrayLike<unknown>;
  let start = 0;
  return sizes.map((size) => {
    const dims = [...t.dims];
    dims[axis] = size;
    const out = allocTensor(t.dtype, dims);
    const dst = out.data as unknown[];
    const block = size * inner;
    for (let o = 0; o < outer; o++) for (let i = 0; i < block; i++) dst[o * block + i] = src[o * row + start * inner + i];
    start += size;
    return out;
  });
}

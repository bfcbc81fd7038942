/** Index bookkeeping shared by the gather/scatter family: per-position offsets and bounds-checked indices. */
import { ShearsError } from '../../src/error.js';
import { describe } from '../../src/ir/node.js';
import type { Node } from '../../src/ir/node.js';
import { elementCount } from '../../src/ir/tensor.js';

/**
 * The offset, under `strides`, of every position of a `dims`-shaped tensor in row-major order.
 * Computed once per kernel so that run-time loops are a table lookup per element.
 */
export function offsetsOf(dims: readonly number[], strides: readonly number[]): Int32Array {
  const total = elementCount(dims);
  const out = new Int32Array(total);
  const rank = dims.length;
  const idx = new Int32Array(rank);
  let at = 0;
  for (let i = 0; i < total; i++) {
    out[i] = at;
    for (let d = rank - 1; d >= 0; d--) {
      at += strides[d];
      if (++idx[d] < dims[d]) break;
      at -= strides[d] * dims[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** An index along an axis of `size`, negative counting from the end; out of range is the model's error. */
export function checkedIndex(node: Node, index: number, size: number): number {
  const i = index < 0 ? index + size : index;
  if (!(i >= 0 && i < size)) throw new ShearsError('E_SHAPE', `${describe(node)}: index ${index} is outside an axis of size ${size}`, { node: node.name });
  return i;
}

/** GatherElements/ScatterElements: indices of the data's rank, no larger than the data off `axis`. */
export function checkIndexShape(node: Node, data: readonly number[], indices: readonly number[], axis: number): void {
  if (indices.length === data.length && indices.every((d, i) => i === axis || d <= data[i])) return;
  throw new ShearsError('E_SHAPE', `${describe(node)}: indices of shape [${indices.join(',')}] do not fit data of shape [${data.join(',')}]`, { node: node.name });
}

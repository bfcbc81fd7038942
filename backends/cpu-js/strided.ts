/**
 * Copying a strided view of a source into a dense destination: the one loop behind Transpose, Slice
 * and friends. The innermost dim is a tight loop; the outer dims advance an odometer.
 */
import type { TensorData } from '../../src/ir/dtype.js';
import { elementCount } from '../../src/ir/tensor.js';

export function stridedCopy(src: TensorData, offset: number, strides: readonly number[], dims: readonly number[], dst: TensorData): void {
  const total = elementCount(dims);
  if (total === 0) return;
  const rank = dims.length;
  if (rank === 0) {
    (dst as unknown[])[0] = src[offset];
    return;
  }
  const s = src as ArrayLike<unknown>;
  const d = dst as unknown[];
  const inner = dims[rank - 1];
  const step = strides[rank - 1];
  const idx = new Int32Array(rank);
  let base = offset;
  for (let o = 0; o < total; o += inner) {
    for (let i = 0, p = base; i < inner; i++, p += step) d[o + i] = s[p];
    for (let k = rank - 2; k >= 0; k--) {
      if (++idx[k] < dims[k]) {
        base += strides[k];
        break;
      }
      idx[k] = 0;
      base -= strides[k] * (dims[k] - 1);
    }
  }
}

/**
 * Copying with one source-coordinate table per axis: out[c0, c1, ...] = src[map0[c0], map1[c1], ...],
 * or `fill` where any table holds -1. Pad, Tile and nearest-neighbour Resize are all this loop.
 */
import { elementCount } from '../../src/ir/tensor.js';
import { stridesOf } from './axes.js';

export function copyByAxisMaps(src: ArrayLike<unknown>, srcDims: readonly number[], maps: readonly Int32Array[], outDims: readonly number[], dst: unknown[], fill: unknown): void {
  const total = elementCount(outDims);
  const rank = outDims.length;
  if (total === 0) return;
  if (rank === 0) {
    dst[0] = src[0];
    return;
  }
  const strides = stridesOf(srcDims);
  const inner = outDims[rank - 1];
  const last = maps[rank - 1];
  const lastStride = strides[rank - 1];
  const idx = new Int32Array(rank);
  for (let o = 0; o < total; o += inner) {
    let base = 0;
    let inside = true;
    for (let d = 0; d < rank - 1; d++) {
      const m = maps[d][idx[d]];
      if (m < 0) inside = false;
      base += m * strides[d];
    }
    if (inside) {
      for (let i = 0; i < inner; i++) {
        const m = last[i];
        dst[o + i] = m < 0 ? fill : src[base + m * lastStride];
      }
    } else for (let i = 0; i < inner; i++) dst[o + i] = fill;
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d] < outDims[d]) break;
      idx[d] = 0;
    }
  }
}

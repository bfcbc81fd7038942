/**
 * The common MaxPool (2-D, no Indices output) as a loop over planes, apart from the kernel so that
 * worker threads can run ranges of planes (threads/max-pool-split.ts).
 */

/**
 * Per output position along one axis: where its window starts in the input (negative: padding),
 * the range [first, end) of taps that land inside the input, and how many land inside the padded
 * extent (count_include_pad's divisor).
 */
export interface AxisTaps {
  start: Int32Array;
  first: Int32Array;
  end: Int32Array;
  padded: Int32Array;
}

/** Everything but the data that the plane loop needs: a plane's input size, the depth slice's offset, row length, dilations, taps. */
export interface MaxPoolPlanes {
  inVolume: number;
  sliceOff: number;
  IW: number;
  DH: number;
  DW: number;
  th: AxisTaps;
  tw: AxisTaps;
}

export type PoolOutput = Float32Array | Float64Array | Int8Array | Uint8Array;

/**
 * MaxPool over one depth slice of planes [p0, p1) without the Indices output (the common 2-D case): the
 * general loop's per-window bookkeeping, hoisted. Same result bit for bit: the first tap in the
 * input seeds the maximum (so a NaN there is kept), later taps replace it when greater.
 */
export function maxPoolPlanes(geometry: MaxPoolPlanes, X: ArrayLike<number>, Y: PoolOutput, p0: number, p1: number): void {
  const { inVolume, sliceOff, IW, DH, DW, th, tw } = geometry;
  const OH = th.start.length;
  const OW = tw.start.length;
  let o = p0 * OH * OW;
  for (let plane = p0; plane < p1; plane++) {
    const base = plane * inVolume + sliceOff;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = th.first[oh];
      const h1 = th.end[oh];
      const rowStart = base + th.start[oh] * IW;
      for (let ow = 0; ow < OW; ow++, o++) {
        const w0 = tw.first[ow];
        const w1 = tw.end[ow];
        if (h0 >= h1 || w0 >= w1) {
          Y[o] = -Infinity;
          continue;
        }
        const col = rowStart + tw.start[ow];
        let acc = X[col + h0 * DH * IW + w0 * DW];
        for (let kh = h0; kh < h1; kh++) {
          for (let kw = w0, at = col + kh * DH * IW + w0 * DW; kw < w1; kw++, at += DW) {
            const v = X[at];
            if (v > acc) acc = v;
          }
        }
        Y[o] = acc;
      }
    }
  }
}

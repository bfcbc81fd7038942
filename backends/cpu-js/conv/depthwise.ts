/**
 * Depthwise convolution (one input channel per group: group = input channels, any channel
 * multiplier) computed directly; a GEMM would have one row and K = taps, all overhead. Each output
 * row accumulates tap by tap: for a tap, the output columns whose input lies inside the image form
 * one contiguous range (precomputed), so the inner loop is a branch-free multiply-add along the row.
 */
import type { ConvNumerics, ConvShape } from './conv-gemm.js';
import { product } from './geometry.js';

/** For each output position along an outer axis: its window's first input index and in-bounds taps [first, end). */
interface Taps {
  start: Int32Array;
  first: Int32Array;
  end: Int32Array;
}

function taps(out: number, size: number, kernel: number, stride: number, dilation: number, pad: number): Taps {
  const t: Taps = { start: new Int32Array(out), first: new Int32Array(out), end: new Int32Array(out) };
  for (let o = 0; o < out; o++) {
    const at = o * stride - pad;
    let first = kernel;
    let end = 0;
    for (let k = 0; k < kernel; k++) {
      const i = at + k * dilation;
      if (i >= 0 && i < size) {
        first = Math.min(first, k);
        end = k + 1;
      }
    }
    t.start[o] = at;
    t.first[o] = first;
    t.end[o] = Math.max(first, end);
  }
  return t;
}

export function isDepthwise(shape: ConvShape): boolean {
  return shape.group > 1 && shape.group === shape.inChannels;
}

export class DepthwiseConv {
  private readonly depth: Taps;
  private readonly height: Taps;
  /** Per tap along W: the output columns [lo, hi) whose input column is inside the image. */
  private readonly columnsFrom: Int32Array;
  private readonly columnsTo: Int32Array;
  private readonly filter: Float64Array;
  private readonly row: Float64Array;

  constructor(private readonly shape: ConvShape, private readonly numerics: ConvNumerics) {
    const g = shape.geom;
    this.depth = taps(g.outSize[0], g.inSize[0], g.kernel[0], g.strides[0], g.dilations[0], g.padBegin[0]);
    this.height = taps(g.outSize[1], g.inSize[1], g.kernel[1], g.strides[1], g.dilations[1], g.padBegin[1]);
    const [KW, SW, DW, PW, IW, OW] = [g.kernel[2], g.strides[2], g.dilations[2], g.padBegin[2], g.inSize[2], g.outSize[2]];
    this.columnsFrom = new Int32Array(KW);
    this.columnsTo = new Int32Array(KW);
    for (let kw = 0; kw < KW; kw++) {
      const shift = kw * DW - PW;
      const lo = Math.max(0, Math.ceil(-shift / SW));
      const hi = Math.min(OW, Math.floor((IW - 1 - shift) / SW) + 1);
      this.columnsFrom[kw] = lo;
      this.columnsTo[kw] = Math.max(lo, hi);
    }
    this.filter = new Float64Array(product(g.kernel));
    this.row = new Float64Array(OW);
  }

  run(x: ArrayLike<number>, w: ArrayLike<number>, bias: Float64Array, y: Float32Array | Float64Array): void {
    const { shape, filter, row, depth, height, columnsFrom, columnsTo } = this;
    const g = shape.geom;
    const [, IH, IW] = g.inSize;
    const [OD, OH, OW] = g.outSize;
    const [, KH, KW] = g.kernel;
    const [DD, DH, DW] = g.dilations;
    const SW = g.strides[2];
    const PW = g.padBegin[2];
    // Doubles (`+ 0`): clamping to the raw fields would make V8 box every output (see gemm/microkernel.ts).
    const lo = this.numerics.lo + 0;
    const hi = this.numerics.hi + 0;
    const inPlane = product(g.inSize);
    const taps = filter.length;
    const M = shape.outChannels;
    const multiplier = M / shape.inChannels;
    let o = 0;
    for (let n = 0; n < shape.batch; n++) {
      for (let m = 0; m < M; m++) {
        for (let k = 0; k < taps; k++) filter[k] = w[m * taps + k];
        const base = (n * shape.inChannels + Math.floor(m / multiplier)) * inPlane;
        const b = bias[m];
        for (let od = 0; od < OD; od++) {
          for (let oh = 0; oh < OH; oh++, o += OW) {
            for (let ow = 0; ow < OW; ow++) row[ow] = b; // not row.fill(b): that boxes b on every call
            for (let kd = depth.first[od]; kd < depth.end[od]; kd++) {
              const plane = base + (depth.start[od] + kd * DD) * IH * IW;
              for (let kh = height.first[oh]; kh < height.end[oh]; kh++) {
                const inRow = plane + (height.start[oh] + kh * DH) * IW - PW;
                const f = (kd * KH + kh) * KW;
                for (let kw = 0; kw < KW; kw++) {
                  const wv = filter[f + kw];
                  for (let ow = columnsFrom[kw], end = columnsTo[kw], at = inRow + kw * DW + ow * SW; ow < end; ow++, at += SW) row[ow] += wv * x[at];
                }
              }
            }
            for (let ow = 0; ow < OW; ow++) {
              const v = row[ow];
              y[o + ow] = v < lo ? lo : v > hi ? hi : v;
            }
          }
        }
      }
    }
  }
}

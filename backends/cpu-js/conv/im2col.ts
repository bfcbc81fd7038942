/**
 * im2col fused with GEMM packing: writes the patch matrix of a channel group (K = channels ×
 * kernel taps rows, one column per output position) straight into NR-column panels, for a range of
 * output positions, so the column matrix is never materialised whole. Taps that fall into padding
 * read as 0; integer ops subtract their input zero point (so padding is the zero point, as in ORT).
 */
import { NR } from '../gemm/microkernel.js';
import type { PanelArray } from '../gemm/packing.js';
import type { WindowGeometry } from './geometry.js';

export class Im2colPacker {
  private readonly baseD = new Int32Array(NR);
  private readonly baseH = new Int32Array(NR);
  private readonly baseW = new Int32Array(NR);

  constructor(private readonly g: WindowGeometry, private readonly channels: number) {}

  /** Rows of the patch matrix. */
  get depth(): number {
    const k = this.g.kernel;
    return this.channels * k[0] * k[1] * k[2];
  }

  /** Whether output positions [j, j + NR) share an output row and every tap of their windows is inside the input. */
  private interior(j: number): boolean {
    const g = this.g;
    const OW = g.outSize[2];
    const ow = j % OW;
    if (ow + NR > OW) return false;
    const { baseD, baseH, baseW } = this;
    const reach = (a: number) => (g.kernel[a] - 1) * g.dilations[a];
    return baseD[0] >= 0 && baseD[0] + reach(0) < g.inSize[0] && baseH[0] >= 0 && baseH[0] + reach(1) < g.inSize[1] && baseW[0] >= 0 && baseW[NR - 1] + reach(2) < g.inSize[2];
  }

  /** Packs output positions [n0, n1) of the channel group starting at `xOff` into dst from dstOff. */
  pack(x: ArrayLike<number>, xOff: number, n0: number, n1: number, dst: PanelArray, dstOff: number, shift = 0): void {
    const g = this.g;
    const [, OH, OW] = g.outSize;
    const [SD, SH, SW] = g.strides;
    const { baseD, baseH, baseW } = this;
    const K = this.depth;
    for (let j0 = n0; j0 < n1; j0 += NR) {
      const cols = Math.min(NR, n1 - j0);
      for (let c = 0; c < NR; c++) {
        if (c < cols) {
          const n = j0 + c;
          const ow = n % OW;
          const t = (n - ow) / OW;
          const oh = t % OH;
          baseD[c] = ((t - oh) / OH) * SD - g.padBegin[0];
          baseH[c] = oh * SH - g.padBegin[1];
          baseW[c] = ow * SW - g.padBegin[2];
        } else baseD[c] = -1 << 30;
      }
      const d = dstOff + (j0 - n0) * K;
      if (cols === NR && this.interior(j0)) this.packInterior(x, xOff + cOffset(g, baseD[0], baseH[0], baseW[0]), dst, d, shift);
      else this.packBorder(x, xOff, dst, d, shift);
    }
  }

  /**
   * All NR positions lie in one output row with whole windows inside the input: no bounds checks.
   * (Each case is a function of its own: compiled together they took V8's optimizing compiler
   * 1.6 MB of memory, a transient that showed in the peak RSS of a lean ResNet-50 run.)
   */
  private packInterior(x: ArrayLike<number>, first: number, dst: PanelArray, d: number, shift: number): void {
    const g = this.g;
    const [ID, IH, IW] = g.inSize;
    const [KD, KH, KW] = g.kernel;
    const SW = g.strides[2];
    const [DD, DH, DW] = g.dilations;
    const plane = ID * IH * IW;
    for (let ci = 0; ci < this.channels; ci++) {
      const cOff = first + ci * plane;
      for (let kd = 0; kd < KD; kd++) {
        for (let kh = 0; kh < KH; kh++) {
          for (let kw = 0; kw < KW; kw++) {
            const src = cOff + (kd * DD * IH + kh * DH) * IW + kw * DW;
            for (let c = 0, at = src; c < NR; c++, at += SW) dst[d + c] = x[at] - shift;
            d += NR;
          }
        }
      }
    }
  }

  /** Positions whose windows may reach into padding (or fewer than NR of them): taps checked one by one. */
  private packBorder(x: ArrayLike<number>, xOff: number, dst: PanelArray, d: number, shift: number): void {
    const g = this.g;
    const [ID, IH, IW] = g.inSize;
    const [KD, KH, KW] = g.kernel;
    const [DD, DH, DW] = g.dilations;
    const plane = ID * IH * IW;
    const { baseD, baseH, baseW } = this;
    for (let ci = 0; ci < this.channels; ci++) {
      const cOff = xOff + ci * plane;
      for (let kd = 0; kd < KD; kd++) {
        for (let kh = 0; kh < KH; kh++) {
          for (let kw = 0; kw < KW; kw++) {
            const zd = kd * DD;
            const zh = kh * DH;
            const zw = kw * DW;
            for (let c = 0; c < NR; c++) {
              const id = baseD[c] + zd;
              const ih = baseH[c] + zh;
              const iw = baseW[c] + zw;
              dst[d + c] = id >= 0 && id < ID && ih >= 0 && ih < IH && iw >= 0 && iw < IW ? x[cOff + (id * IH + ih) * IW + iw] - shift : 0;
            }
            d += NR;
          }
        }
      }
    }
  }
}

/** Offset within a channel plane of input position (d, h, w). */
function cOffset(g: WindowGeometry, d: number, h: number, w: number): number {
  return (d * g.inSize[1] + h) * g.inSize[2] + w;
}

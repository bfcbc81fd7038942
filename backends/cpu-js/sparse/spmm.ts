/**
 * Sparse × dense products with a CSR left operand: C[i][j] = epilogue(Σ_p value[p]·B[column[p]][j]).
 * `spmmPanels` reads B as GEMM-packed NR-column panels (packB, im2col) and keeps NR sums per row in
 * registers; `spmv` multiplies by one dense vector. Stores go to C[cOff + i·rowStride + j·colStride]
 * (so a product can be written transposed), through the same epilogue as the dense GEMM.
 */
import type { Epilogue } from '../gemm/gemm.js';
import { NR } from '../gemm/microkernel.js';
import type { PanelArray } from '../gemm/packing.js';
import type { Csr } from './csr.js';

/** Rows of `a` times panels of B (K deep, `cols` columns starting at panel 0 of pb[pbOff…]); `a.column` scaled by NR. */
export function spmmPanels(a: Csr, pb: PanelArray, pbOff: number, K: number, cols: number, C: Float32Array, cOff: number, rowStride: number, colStride: number, ep: Epilogue): void {
  const { rowStart, column, value } = a;
  const { alpha, accumulate, bias, biasOff, lo, hi } = ep;
  const panelSize = K * NR;
  for (let j0 = 0; j0 < cols; j0 += NR) {
    const base = pbOff + (j0 / NR) * panelSize;
    const width = Math.min(NR, cols - j0);
    for (let i = 0; i < a.rows; i++) {
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;
      for (let p = rowStart[i], end = rowStart[i + 1]; p < end; p++) {
        const v = value[p];
        const b = base + column[p];
        c0 += v * pb[b];
        c1 += v * pb[b + 1];
        c2 += v * pb[b + 2];
        c3 += v * pb[b + 3];
        c4 += v * pb[b + 4];
        c5 += v * pb[b + 5];
        c6 += v * pb[b + 6];
        c7 += v * pb[b + 7];
      }
      const bb = bias[biasOff + i];
      const o = cOff + i * rowStride + j0 * colStride;
      if (width === NR && !accumulate) {
        C[o] = clamp(alpha * c0 + bb, lo, hi);
        C[o + colStride] = clamp(alpha * c1 + bb, lo, hi);
        C[o + 2 * colStride] = clamp(alpha * c2 + bb, lo, hi);
        C[o + 3 * colStride] = clamp(alpha * c3 + bb, lo, hi);
        C[o + 4 * colStride] = clamp(alpha * c4 + bb, lo, hi);
        C[o + 5 * colStride] = clamp(alpha * c5 + bb, lo, hi);
        C[o + 6 * colStride] = clamp(alpha * c6 + bb, lo, hi);
        C[o + 7 * colStride] = clamp(alpha * c7 + bb, lo, hi);
        continue;
      }
      const sums = [c0, c1, c2, c3, c4, c5, c6, c7];
      for (let c = 0; c < width; c++) {
        const at = o + c * colStride;
        C[at] = clamp(alpha * sums[c] + bb + (accumulate ? C[at] : 0), lo, hi);
      }
    }
  }
}

/** y[i] (at yOff + i·yStride) = epilogue(Σ value·x[xOff + column]) for every row; `a.column` unscaled. */
export function spmv(a: Csr, x: ArrayLike<number>, xOff: number, y: Float32Array, yOff: number, yStride: number, ep: Epilogue): void {
  const { rowStart, column, value } = a;
  const { alpha, accumulate, bias, biasOff, lo, hi } = ep;
  for (let i = 0, o = yOff; i < a.rows; i++, o += yStride) {
    // Four partial sums, so consecutive nonzeros do not wait on one another's additions.
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let p = rowStart[i];
    const end = rowStart[i + 1];
    for (; p + 3 < end; p += 4) {
      s0 += value[p] * x[xOff + column[p]];
      s1 += value[p + 1] * x[xOff + column[p + 1]];
      s2 += value[p + 2] * x[xOff + column[p + 2]];
      s3 += value[p + 3] * x[xOff + column[p + 3]];
    }
    for (; p < end; p++) s0 += value[p] * x[xOff + column[p]];
    let v = alpha * (s0 + s1 + (s2 + s3)) + bias[biasOff + i];
    if (accumulate) v += y[o];
    y[o] = clamp(v, lo, hi);
  }
}

/** Bounds as doubles (`+ 0`): choosing between a tagged bound and a double makes V8 box the result (see gemm/microkernel.ts). */
function clamp(v: number, lo: number, hi: number): number {
  const floor = lo + 0;
  const ceiling = hi + 0;
  return v < floor ? floor : v > ceiling ? ceiling : v;
}

/**
 * Packing GEMM operands into panels, the layout the microkernels stream through: A as MR-row panels
 * stored step by step ([K][MR] per panel), B as NR-column panels ([K][NR] per panel), both
 * zero-padded to whole panels. Sources are strided, so transposed operands pack with the same code.
 * Integer ops subtract their zero points here (`shift`, per row of A or per column of B).
 */
import { MR, NR } from './microkernel.js';

export type PanelArray = Float32Array | Float64Array;

/** A zero point subtracted while packing: one for all, or one per row of A / column of B. */
export type Shift = number | ArrayLike<number>;

export function packedASize(M: number, K: number): number {
  return Math.ceil(M / MR) * MR * K;
}

export function packedBSize(K: number, N: number): number {
  return Math.ceil(N / NR) * NR * K;
}

/** A[i][p] = src[off + i·rowStride + p·colStride] for i < M, p < K. */
export function packA(src: ArrayLike<number>, off: number, rowStride: number, colStride: number, M: number, K: number, dst: PanelArray, dstOff: number, shift: Shift = 0): void {
  for (let i0 = 0; i0 < M; i0 += MR) {
    const base = dstOff + i0 * K;
    const rows = Math.min(MR, M - i0);
    for (let r = 0; r < MR; r++) {
      let d = base + r;
      if (r >= rows) {
        for (let p = 0; p < K; p++, d += MR) dst[d] = 0;
        continue;
      }
      const s0 = off + (i0 + r) * rowStride;
      const z = typeof shift === 'number' ? shift : shift[i0 + r];
      if (colStride === 1) for (let p = 0; p < K; p++, d += MR) dst[d] = src[s0 + p] - z;
      else for (let p = 0, s = s0; p < K; p++, d += MR, s += colStride) dst[d] = src[s] - z;
    }
  }
}

/** B[p][j] = src[off + p·rowStride + j·colStride] for p < K, j < N. */
export function packB(src: ArrayLike<number>, off: number, rowStride: number, colStride: number, K: number, N: number, dst: PanelArray, dstOff: number, shift: Shift = 0): void {
  for (let j0 = 0; j0 < N; j0 += NR) {
    const base = dstOff + j0 * K;
    const cols = Math.min(NR, N - j0);
    for (let c = 0; c < NR; c++) {
      let d = base + c;
      if (c >= cols) {
        for (let p = 0; p < K; p++, d += NR) dst[d] = 0;
        continue;
      }
      const z = typeof shift === 'number' ? shift : shift[j0 + c];
      for (let p = 0, s = off + (j0 + c) * colStride; p < K; p++, d += NR, s += rowStride) dst[d] = src[s] - z;
    }
  }
}

/**
 * The GEMM driver over packed operands: C = epilogue(A·B) tile by tile. B panels are visited in
 * chunks small enough to stay in L2 while every A panel passes over them.
 */
import { MR, Microkernel, NR, OutputArray } from './microkernel.js';
import type { PanelArray } from './packing.js';

/** Per-element finish of a tile: alpha·sum + bias[row] (+ C when accumulating), clamped to [lo, hi]. */
export interface Epilogue {
  alpha: number;
  accumulate: boolean;
  /** Per-row bias, read from biasOff on; ZERO_BIAS when there is none. */
  bias: Float64Array;
  biasOff: number;
  lo: number;
  hi: number;
}

const L2_BUDGET_BYTES = 512 * 1024;

let zeroBias = new Float64Array(1024);

/** A zero bias of at least `rows` entries (shared; never written). */
export function zeroBiasFor(rows: number): Float64Array {
  if (zeroBias.length < rows) zeroBias = new Float64Array(rows);
  return zeroBias;
}

export function plainEpilogue(rows: number): Epilogue {
  return { alpha: 1, accumulate: false, bias: zeroBiasFor(rows), biasOff: 0, lo: -Infinity, hi: Infinity };
}

/**
 * C[i][j] (at cOff + i·ldc + j) for i < M, j < N from A at paOff and B packed (packB) at pbOff,
 * both K deep. A is packed (packA) when lda is 0, else row-major with rows lda apart (read in place).
 */
export function gemmPacked(kernels: readonly Microkernel[], M: number, N: number, K: number, pa: PanelArray, paOff: number, pb: PanelArray, pbOff: number, C: OutputArray, cOff: number, ldc: number, ep: Epilogue, lda = 0): void {
  if (M === 0 || N === 0) return;
  const panelBytes = Math.max(1, K * NR * pb.BYTES_PER_ELEMENT);
  const chunk = Math.max(1, Math.floor(L2_BUDGET_BYTES / panelBytes)) * NR;
  const { alpha, accumulate, bias, biasOff, lo, hi } = ep;
  const aRow = lda === 0 ? 1 : lda;
  const aStep = lda === 0 ? MR : 1;
  const panelStart = lda === 0 ? K : lda;
  for (let j0 = 0; j0 < N; j0 += chunk) {
    const j1 = Math.min(N, j0 + chunk);
    for (let i0 = 0; i0 < M; i0 += MR) {
      const rows = Math.min(MR, M - i0);
      const kernel = kernels[rows - 1];
      const aOff = paOff + i0 * panelStart;
      for (let j = j0; j < j1; j += NR) {
        kernel(K, pa, aOff, aRow, aStep, pb, pbOff + j * K, C, cOff + i0 * ldc + j, ldc, Math.min(NR, j1 - j), alpha, accumulate, bias, biasOff + i0, lo, hi);
      }
    }
  }
}

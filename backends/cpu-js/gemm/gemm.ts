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

const warmed = new WeakSet<Microkernel>();
/** Calls per epilogue branch: more than V8 makes before it allocates a function's feedback vector. */
const WARM_CALLS = 16;

/**
 * Runs every branch of a kernel's epilogue a few times (K = 0, into a scratch tile of C's type)
 * before its first real call. That call's K loop is hot enough to be compiled on stack replacement;
 * code compiled then has no type feedback for the epilogue, which has not run yet, and bails out
 * on every later call (seen with --trace-deopt: hundreds of bailouts per convolution, and such
 * convolutions ran at half speed, at random from one process to the next).
 */
function warm(kernel: Microkernel, pa: PanelArray, pb: PanelArray, C: OutputArray): void {
  const tile = new (C.constructor as new (n: number) => OutputArray)(MR * NR);
  const bias = zeroBiasFor(MR);
  for (let i = 0; i < WARM_CALLS; i++) {
    for (const accumulate of [false, true]) {
      for (const cols of [NR, 1]) kernel(0, pa, 0, 1, MR, pb, 0, tile, 0, NR, cols, 1, accumulate, bias, 0, -Infinity, Infinity);
    }
  }
  warmed.add(kernel);
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
      if (!warmed.has(kernel)) warm(kernel, pa, pb, C);
      const aOff = paOff + i0 * panelStart;
      for (let j = j0; j < j1; j += NR) {
        kernel(K, pa, aOff, aRow, aStep, pb, pbOff + j * K, C, cOff + i0 * ldc + j, ldc, Math.min(NR, j1 - j), alpha, accumulate, bias, biasOff + i0, lo, hi);
      }
    }
  }
}

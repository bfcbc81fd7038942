/**
 * Compressed sparse rows of a constant weight matrix, for kernels that skip its zeros (unstructured
 * pruning turned into speed, as DeepSparse does on CPUs). Column indices are stored pre-multiplied
 * by the stride at which the kernel reads the dense operand, so the inner loop does one add.
 */

/**
 * Weights at least this sparse (fraction of exact zeros) run through the sparse kernels instead of
 * the dense GEMM. Measured (test/bench/cpu-js-sparse.ts): CSR breaks even with dense GEMM near 50%
 * and is 1.4× faster at 60%, 5× at 90%.
 */
export const SPARSE_THRESHOLD = 0.6;

/** The same for 3×3 stride-1 convolutions, whose dense path (Winograd) does 2.25–4× fewer multiplies: break-even near 85%. */
export const SPARSE_OVER_WINOGRAD_THRESHOLD = 0.85;

export interface Csr {
  rows: number;
  /** Nonzeros of row i are [rowStart[i], rowStart[i + 1]). */
  rowStart: Int32Array;
  /** Column of each nonzero times the kernel's stride. */
  column: Int32Array;
  value: Float32Array;
}

/** Fraction of exact zeros among the first `count` elements. */
export function sparsity(data: ArrayLike<number>, count = data.length): number {
  let zeros = 0;
  for (let i = 0; i < count; i++) if (data[i] === 0) zeros++;
  return count === 0 ? 0 : zeros / count;
}

/** CSR of the rows × cols matrix with element (i, k) at src[off + i·rowStride + k·colStride]. */
export function toCsr(src: ArrayLike<number>, off: number, rowStride: number, colStride: number, rows: number, cols: number, columnScale: number): Csr {
  let nnz = 0;
  for (let i = 0; i < rows; i++) for (let k = 0; k < cols; k++) if (src[off + i * rowStride + k * colStride] !== 0) nnz++;
  const csr: Csr = { rows, rowStart: new Int32Array(rows + 1), column: new Int32Array(nnz), value: new Float32Array(nnz) };
  let p = 0;
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < cols; k++) {
      const v = src[off + i * rowStride + k * colStride];
      if (v === 0) continue;
      csr.column[p] = k * columnScale;
      csr.value[p++] = v;
    }
    csr.rowStart[i + 1] = p;
  }
  return csr;
}

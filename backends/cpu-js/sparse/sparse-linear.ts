/**
 * Y[M×N] = epilogue(X[M×K] · W[K×N]) with W a constant sparse weight, computed as Yᵀ = Wᵀ·Xᵀ so
 * that W's nonzeros, in CSR by output feature, drive the loop. Few rows of X (M < NR): one sparse
 * matrix-vector product per row; more: Xᵀ is packed into NR-column panels and every nonzero
 * updates NR sums at once. The epilogue's per-row bias is per output feature n.
 */
import type { Epilogue } from '../gemm/gemm.js';
import { NR } from '../gemm/microkernel.js';
import { packB, packedBSize } from '../gemm/packing.js';
import { scratch } from '../gemm/scratch.js';
import { Csr, toCsr } from './csr.js';
import { spmmPanels, spmv } from './spmm.js';

export class SparseLinear {
  private readonly csr: Csr;
  private readonly panels: boolean;

  /** W's element (k, n) is w[k·wRowStride + n·wColStride]. */
  constructor(readonly M: number, readonly N: number, readonly K: number, w: ArrayLike<number>, wRowStride: number, wColStride: number) {
    this.panels = M >= NR;
    this.csr = toCsr(w, 0, wColStride, wRowStride, N, K, this.panels ? NR : 1);
    if (this.panels) scratch('packed-b', Float32Array, packedBSize(K, M));
  }

  get nonzeros(): number {
    return this.csr.value.length;
  }

  /** Y (row-major M×N at yOff) from X (row m at xOff + m·xRowStride, contiguous along K). */
  run(X: ArrayLike<number>, xOff: number, xRowStride: number, Y: Float32Array, yOff: number, ep: Epilogue): void {
    const { M, N, K } = this;
    if (!this.panels) {
      for (let m = 0; m < M; m++) spmv(this.csr, X, xOff + m * xRowStride, Y, yOff + m * N, 1, ep);
      return;
    }
    const pb = scratch('packed-b', Float32Array, packedBSize(K, M));
    packB(X, xOff, 1, xRowStride, K, M, pb, 0);
    spmmPanels(this.csr, pb, 0, K, M, Y, yOff, 1, N, ep);
  }
}

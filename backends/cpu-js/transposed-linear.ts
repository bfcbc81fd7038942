/**
 * Y[M×N] = epilogue(A·Wᵀ) with a constant W [N×K] read where it lies (lean memory mode): computed as
 * Yᵀ = W·Aᵀ, in which W is the row-major left operand the microkernels read in place and only A,
 * usually a few rows, is packed. The epilogue's per-row bias is then one value per column of Y.
 */
import { Epilogue, gemmPacked } from './gemm/gemm.js';
import { Microkernel, microkernels } from './gemm/microkernel.js';
import { PanelArray, packB, packedBSize } from './gemm/packing.js';
import { PanelCtor, scratch } from './gemm/scratch.js';
import type { Strided } from './gemm/strided-gemm.js';

export class TransposedLinear {
  private readonly kernels: Microkernel[];
  /** Yᵀ before it is transposed into Y; none when M is 1 (Yᵀ and Y are then the same array). */
  private readonly transposed: PanelArray | null;
  /** W's array type, which A is packed into. */
  private readonly panels: PanelCtor;

  constructor(readonly M: number, readonly N: number, readonly K: number, private readonly w: PanelArray, family: string) {
    this.panels = w.constructor as PanelCtor;
    this.kernels = microkernels(family);
    this.transposed = M === 1 ? null : new this.panels(M * N);
    scratch('packed-b', this.panels, packedBSize(K, M));
  }

  /** Y (row-major [M×N], of W's array type) from A (element (m, k) of the strided operand). */
  run(a: Strided, y: PanelArray, ep: Epilogue): void {
    const { M, N, K, w } = this;
    const pb = scratch('packed-b', this.panels, packedBSize(K, M));
    packB(a.data, a.offset, a.colStride, a.rowStride, K, M, pb, 0);
    const yt = this.transposed ?? y;
    gemmPacked(this.kernels, N, M, K, w, 0, pb, 0, yt, 0, M, ep, K);
    if (yt === y) return;
    for (let n = 0; n < N; n++) for (let m = 0; m < M; m++) y[m * N + n] = yt[n * M + m];
  }
}

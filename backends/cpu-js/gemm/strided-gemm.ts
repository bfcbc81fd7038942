/**
 * GEMM over strided operands, C = epilogue(A·B), packing what it must: A on every call, B on every
 * call unless it was fixed at plan time (a constant weight, packed once). A strided operand is
 * element (i, j) at offset + i·rowStride + j·colStride, so transposed inputs cost nothing extra.
 */
import { Epilogue, gemmPacked } from './gemm.js';
import { Microkernel, OutputArray, microkernels } from './microkernel.js';
import { PanelArray, Shift, packA, packB, packedASize, packedBSize } from './packing.js';
import { PanelCtor, scratch } from './scratch.js';

export interface Strided {
  data: ArrayLike<number>;
  offset: number;
  rowStride: number;
  colStride: number;
  /** Zero point subtracted while packing (integer ops): per row of A, per column of B. */
  shift?: Shift;
}

export class StridedGemm {
  private readonly kernels: Microkernel[];
  private packedB: PanelArray | null = null;

  /** `family` names the microkernel copy; use one per (panel type, output type) combination. */
  constructor(readonly M: number, readonly N: number, readonly K: number, private readonly panels: PanelCtor, family: string) {
    this.kernels = microkernels(family);
    scratch('packed-a', panels, packedASize(M, K));
    scratch('packed-b', panels, packedBSize(K, N));
  }

  /** Packs B once for every later run. */
  fixB(b: Strided): void {
    this.packedB = new this.panels(packedBSize(this.K, this.N));
    packB(b.data, b.offset, b.rowStride, b.colStride, this.K, this.N, this.packedB, 0, b.shift);
  }

  get hasFixedB(): boolean {
    return this.packedB !== null;
  }

  /** Packs B into the shared scratch for the runs that follow (until the next call): B shared across a batch. */
  packSharedB(b: Strided): PanelArray {
    const pb = scratch('packed-b', this.panels, packedBSize(this.K, this.N));
    packB(b.data, b.offset, b.rowStride, b.colStride, this.K, this.N, pb, 0, b.shift);
    return pb;
  }

  /** C (at cOff, row stride ldc) = epilogue(A · B); B is the fixed one when `b` is null, or already packed panels. */
  run(a: Strided, b: Strided | PanelArray | null, C: OutputArray, cOff: number, ldc: number, ep: Epilogue): void {
    const { M, N, K } = this;
    const pa = scratch('packed-a', this.panels, packedASize(M, K));
    packA(a.data, a.offset, a.rowStride, a.colStride, M, K, pa, 0, a.shift);
    let pb: PanelArray;
    if (b === null) pb = this.packedB!;
    else if (b instanceof Float32Array || b instanceof Float64Array) pb = b;
    else pb = this.packSharedB(b);
    gemmPacked(this.kernels, M, N, K, pa, 0, pb, 0, C, cOff, ldc, ep);
  }
}

/**
 * GEMM over strided operands, C = epilogue(A·B), packing what it must: A on every call, B on every
 * call unless it was fixed at plan time (a constant weight, packed once). A strided operand is
 * element (i, j) at offset + i·rowStride + j·colStride, so transposed inputs cost nothing extra.
 */
import { Epilogue, gemmPacked } from './gemm.js';
import { Microkernel, OutputArray, microkernels } from './microkernel.js';
import { PanelArray, Shift, packA, packB, packedASize, packedBSize } from './packing.js';
import { PanelCtor, scratch } from './scratch.js';
import { runGemmSplit } from '../threads/gemm-split.js';
import { weightPanels } from '../threads/weight-panels.js';

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

  /**
   * `family` names the microkernel copy; use one per (panel type, output type) combination. `b`:
   * 'fixed' when B will be packed once (fixB, adoptFixedB) before any run, so that no scratch is
   * reserved for packing it per run (see ConvGemm: unused reservations cost RSS).
   */
  constructor(readonly M: number, readonly N: number, readonly K: number, readonly panels: PanelCtor, readonly family: string, b: 'fixed' | 'per-run' = 'per-run') {
    this.kernels = microkernels(family);
    scratch('packed-a', panels, packedASize(M, K));
    if (b === 'per-run') scratch('packed-b', panels, packedBSize(K, N));
  }

  /** Packs B once for every later run. */
  fixB(b: Strided): void {
    this.packedB = weightPanels(this.panels, packedBSize(this.K, this.N));
    packB(b.data, b.offset, b.rowStride, b.colStride, this.K, this.N, this.packedB, 0, b.shift);
  }

  get hasFixedB(): boolean {
    return this.packedB !== null;
  }

  /** The panels packed by fixB (null before); threads move them into shared memory. */
  get fixedB(): PanelArray | null {
    return this.packedB;
  }

  adoptFixedB(packed: PanelArray): void {
    this.packedB = packed;
  }

  /** Packs B into the shared scratch for the runs that follow (until the next call): B shared across a batch. */
  packSharedB(b: Strided): PanelArray {
    const pb = scratch('packed-b', this.panels, packedBSize(this.K, this.N));
    packB(b.data, b.offset, b.rowStride, b.colStride, this.K, this.N, pb, 0, b.shift);
    return pb;
  }

  /** C (at cOff, row stride ldc) = epilogue(A · B); B is the fixed one when `b` is null, or already packed panels. */
  run(a: Strided, b: Strided | PanelArray | null, C: OutputArray, cOff: number, ldc: number, ep: Epilogue): void {
    let pb: PanelArray;
    if (b === null) {
      if (runGemmSplit(this, a, C, cOff, ldc, ep)) return;
      pb = this.packedB!;
    } else if (b instanceof Float32Array || b instanceof Float64Array) pb = b;
    else pb = this.packSharedB(b);
    this.runBlock(a, pb, C, cOff, ldc, ep, 0, this.M, 0, this.N);
  }

  /**
   * Rows [i0, i1) and columns [j0, j1) of C (j0 a multiple of NR), so that threads can share a
   * product; a per-row shift of A is only right for blocks starting at row 0.
   */
  runBlock(a: Strided, pb: PanelArray, C: OutputArray, cOff: number, ldc: number, ep: Epilogue, i0: number, i1: number, j0: number, j1: number): void {
    const K = this.K;
    const pa = scratch('packed-a', this.panels, packedASize(i1 - i0, K));
    packA(a.data, a.offset + i0 * a.rowStride, a.rowStride, a.colStride, i1 - i0, K, pa, 0, a.shift);
    const blockEp = i0 === 0 ? ep : { ...ep, biasOff: ep.biasOff + i0 };
    gemmPacked(this.kernels, i1 - i0, j1 - j0, K, pa, 0, pb, j0 * K, C, cOff + i0 * ldc + j0, ldc, blockEp);
  }
}

/**
 * Convolution as GEMM, per image and channel group: Y_g[Mg × positions] = W_g[Mg × K] · patches_g[K
 * × positions] with K = Cg × kernel taps. The microkernels read the weights in place (row-major,
 * as the model stores them: no packed copy); patches are packed chunk by chunk (im2col.ts) into a
 * shared scratch buffer sized at plan time, as doubles whatever the weights' type: the microkernel
 * then converts only its A loads, and the values (exact in a double) give the same sums. Bias and a clamping activation (Relu, Clip) are applied
 * as each tile is stored.
 */
import { Epilogue, gemmPacked } from '../gemm/gemm.js';
import { Microkernel, NR, OutputArray, microkernels } from '../gemm/microkernel.js';
import { PanelArray, Shift, packB } from '../gemm/packing.js';
import { PanelCtor, scratch } from '../gemm/scratch.js';
import type { WindowGeometry } from './geometry.js';
import { convLayout } from './conv-layout.js';
import type { Im2colPacker } from './im2col.js';
import { activePool } from '../threads/active.js';
import { runConvSplit } from '../threads/conv-split.js';
import { isShared } from '../threads/shared.js';
import { weightPanels } from '../threads/weight-panels.js';

export interface ConvShape {
  geom: WindowGeometry;
  batch: number;
  inChannels: number;
  outChannels: number;
  group: number;
}

export interface ConvNumerics {
  /** Array type of the packed panels (Float64Array for double convolutions). */
  panels: PanelCtor;
  /** Microkernel family, one per combination of panel and output array types. */
  family: string;
  /** Clamp applied to every output (fused activation); ±Infinity for none. */
  lo: number;
  hi: number;
}

/**
 * A block of the output, so that threads can share a convolution: images×groups [p0, p1) (p =
 * n·group + g), output channels [m0, m1) of each group (m0 a multiple of MR), positions [j0, j1).
 */
export interface ConvPart {
  p0: number;
  p1: number;
  m0: number;
  m1: number;
  j0: number;
  j1: number;
}

export class ConvGemm {
  readonly Mg: number;
  private readonly Cg: number;
  readonly K: number;
  private readonly inVolume: number;
  readonly outVolume: number;
  private readonly chunk: number;
  private readonly pointwise: boolean;
  private readonly packer: Im2colPacker;
  private readonly kernels: Microkernel[];
  private packedWeights: PanelArray | null = null;

  /**
   * `weights`: 'constant' when they will be fixed (setConstantWeights, adoptConstantWeights) before
   * any run; only weights given per run are packed into scratch, which is then reserved here (an
   * unused reservation is not free: a large calloc from a recycled heap touches its pages, 7 MB
   * of RSS on ResNet-50 in lean mode).
   */
  constructor(readonly shape: ConvShape, readonly numerics: ConvNumerics, weights: 'constant' | 'per-run' = 'per-run') {
    ({ Mg: this.Mg, Cg: this.Cg, K: this.K, inVolume: this.inVolume, outVolume: this.outVolume, pointwise: this.pointwise, chunk: this.chunk, packer: this.packer } =
      convLayout(shape, Float64Array.BYTES_PER_ELEMENT));
    this.kernels = microkernels(`${numerics.family} with double patches`);
    scratch('packed-b', Float64Array, this.K * Math.min(this.chunk, Math.ceil(this.outVolume / NR) * NR));
    if (weights === 'per-run') scratch('packed-a', numerics.panels, this.weightsSize());
  }

  private weightsSize(): number {
    return this.shape.outChannels * this.K;
  }

  /**
   * Fixes weights [outChannels, Cg, taps…] for every later run: used in place when they already
   * have the panel type (and, with a thread pool, lie in shared memory, as weights loaded from a
   * file do), else copied (minus a per-output-channel zero point) into that type.
   */
  setConstantWeights(w: ArrayLike<number>, shift: Shift = 0): void {
    if (shift === 0 && w instanceof this.numerics.panels && w.length === this.weightsSize() && (!activePool() || isShared(w))) {
      this.packedWeights = w;
      return;
    }
    this.packedWeights = weightPanels(this.numerics.panels, this.weightsSize());
    this.packWeights(w, shift, this.packedWeights);
  }

  /** dst[m·K + k] = w[m·K + k] − shift (per output channel m, or one for all). */
  private packWeights(w: ArrayLike<number>, shift: Shift, dst: PanelArray): void {
    const K = this.K;
    for (let m = 0; m < this.shape.outChannels; m++) {
      const z = typeof shift === 'number' ? shift : shift[m];
      for (let k = m * K, end = k + K; k < end; k++) dst[k] = w[k] - z;
    }
  }

  /** The constant weights as the kernels read them (null when the weights are an input); threads move them into shared memory. */
  get constantWeights(): PanelArray | null {
    return this.packedWeights;
  }

  adoptConstantWeights(packed: PanelArray): void {
    this.packedWeights = packed;
  }

  /**
   * y = activation(conv(x - xShift, w - wShift) + bias). `w` is read only when no constant weights
   * were set; bias has one entry per output channel.
   */
  run(x: ArrayLike<number>, xShift: number, w: ArrayLike<number> | null, wShift: Shift, bias: Float64Array, y: OutputArray): void {
    let pw = this.packedWeights;
    if (!pw) {
      pw = scratch('packed-a', this.numerics.panels, this.weightsSize());
      this.packWeights(w!, wShift, pw);
    } else if (runConvSplit(this, x, xShift, bias, y)) return;
    const { batch, group } = this.shape;
    this.runPart(x, xShift, pw, bias, y, { p0: 0, p1: batch * group, m0: 0, m1: this.Mg, j0: 0, j1: this.outVolume });
  }

  /** Computes one block of y with weights (row-major, as setConstantWeights keeps them) in `pw`; blocks of one output may run on different threads. */
  runPart(x: ArrayLike<number>, xShift: number, pw: PanelArray, bias: Float64Array, y: OutputArray, part: ConvPart): void {
    const { Mg, Cg, K, inVolume, outVolume, chunk, numerics } = this;
    const { group, inChannels, outChannels } = this.shape;
    const pb = scratch('packed-b', Float64Array, K * Math.min(chunk, Math.ceil(outVolume / NR) * NR));
    const ep: Epilogue = { alpha: 1, accumulate: false, bias, biasOff: 0, lo: numerics.lo, hi: numerics.hi };
    const { m0, j1: end } = part;
    for (let p = part.p0; p < part.p1; p++) {
      const n = Math.floor(p / group);
      const gi = p - n * group;
      const xOff = (n * inChannels + gi * Cg) * inVolume;
      const yOff = (n * outChannels + gi * Mg + m0) * outVolume;
      ep.biasOff = gi * Mg + m0;
      for (let j0 = part.j0; j0 < end; j0 += chunk) {
        const j1 = Math.min(end, j0 + chunk);
        if (this.pointwise) packB(x, xOff + j0, inVolume, 1, K, j1 - j0, pb, 0, xShift);
        else this.packer.pack(x, xOff, j0, j1, pb, 0, xShift);
        gemmPacked(this.kernels, part.m1 - m0, j1 - j0, K, pw, (gi * Mg + m0) * K, pb, 0, y, yOff + j0, outVolume, ep, K);
      }
    }
  }
}

/**
 * Convolution with sparse constant weights: the same im2col panels as ConvGemm, multiplied by the
 * weights' CSR (one per group) so that pruned weights cost nothing; bias and the fused clamp in
 * the store.
 */
import type { Epilogue } from '../gemm/gemm.js';
import { NR } from '../gemm/microkernel.js';
import { packB } from '../gemm/packing.js';
import { scratch } from '../gemm/scratch.js';
import { Csr, toCsr } from '../sparse/csr.js';
import { spmmPanels } from '../sparse/spmm.js';
import type { ConvNumerics, ConvShape } from './conv-gemm.js';
import { convLayout } from './conv-layout.js';
import type { Im2colPacker } from './im2col.js';

export class SparseConv {
  private readonly groups: Csr[];
  private readonly Mg: number;
  private readonly Cg: number;
  private readonly K: number;
  private readonly inVolume: number;
  private readonly outVolume: number;
  private readonly chunk: number;
  private readonly pointwise: boolean;
  private readonly packer: Im2colPacker;

  constructor(private readonly shape: ConvShape, private readonly numerics: ConvNumerics, weights: ArrayLike<number>) {
    ({ Mg: this.Mg, Cg: this.Cg, K: this.K, inVolume: this.inVolume, outVolume: this.outVolume, pointwise: this.pointwise, chunk: this.chunk, packer: this.packer } =
      convLayout(shape, Float32Array.BYTES_PER_ELEMENT));
    this.groups = Array.from({ length: shape.group }, (_, g) => toCsr(weights, g * this.Mg * this.K, this.K, 1, this.Mg, this.K, NR));
    scratch('packed-b', Float32Array, this.K * Math.min(this.chunk, Math.ceil(this.outVolume / NR) * NR));
  }

  run(x: Float32Array, bias: Float64Array, y: Float32Array): void {
    const { Mg, Cg, K, inVolume, outVolume, chunk } = this;
    const { batch, group, inChannels, outChannels } = this.shape;
    const pb = scratch('packed-b', Float32Array, K * Math.min(chunk, Math.ceil(outVolume / NR) * NR));
    const ep: Epilogue = { alpha: 1, accumulate: false, bias, biasOff: 0, lo: this.numerics.lo, hi: this.numerics.hi };
    for (let n = 0; n < batch; n++) {
      for (let gi = 0; gi < group; gi++) {
        const xOff = (n * inChannels + gi * Cg) * inVolume;
        const yOff = (n * outChannels + gi * Mg) * outVolume;
        ep.biasOff = gi * Mg;
        for (let j0 = 0; j0 < outVolume; j0 += chunk) {
          const j1 = Math.min(outVolume, j0 + chunk);
          if (this.pointwise) packB(x, xOff + j0, inVolume, 1, K, j1 - j0, pb, 0);
          else this.packer.pack(x, xOff, j0, j1, pb, 0);
          spmmPanels(this.groups[gi], pb, 0, K, j1 - j0, y, yOff + j0, outVolume, 1, ep);
        }
      }
    }
  }
}

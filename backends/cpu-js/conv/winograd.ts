/**
 * 3×3 stride-1 convolution by Winograd's minimal filtering (winograd-transforms.ts): each input tile
 * d and 3×3 filter g give an output tile Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, so the channel sums become
 * tile² independent GEMMs U_ξ[M×C]·V_ξ[C×tiles]: F(4×4, 3×3) needs 2.25 multiplies per output
 * instead of 9, F(2×2, 3×3) 4 (used when there are too few 4×4 tiles to fill GEMM panels). U
 * (transformed once from constant weights, tile²/9 times their size, and read in place) is float32;
 * the input transform V and the products stay in doubles, so that the only rounding beyond a direct
 * convolution's is U's. Tiles are processed in chunks that bound the scratch memory; bias and the
 * fused clamp are applied by the output transform.
 */
import { gemmPacked, plainEpilogue } from '../gemm/gemm.js';
import { Microkernel, NR, microkernels } from '../gemm/microkernel.js';
import { packedBSize } from '../gemm/packing.js';
import { scratch } from '../gemm/scratch.js';
import type { ConvNumerics, ConvShape } from './conv-gemm.js';
import { F2x2, F4x4, WinogradVariant } from './winograd-transforms.js';
import { runWinogradSplit } from '../threads/winograd-split.js';
import { weightPanels } from '../threads/weight-panels.js';

const SCRATCH_BUDGET_BYTES = 4 * 1024 * 1024;
/** F(4×4) needs this many tiles (two GEMM panels) to beat F(2×2), whose 4× more tiles fill panels better. */
const MIN_LARGE_TILES = 2 * NR;

/** Whether Winograd applies: 2-D, 3×3, stride 1, dilation 1, one group, enough channels to pay for the transforms. */
export function winogradApplies(shape: ConvShape): boolean {
  const g = shape.geom;
  return (
    g.rank === 2 &&
    shape.group === 1 &&
    g.kernel[1] === 3 &&
    g.kernel[2] === 3 &&
    g.strides[1] === 1 &&
    g.strides[2] === 1 &&
    g.dilations[1] === 1 &&
    g.dilations[2] === 1 &&
    shape.inChannels >= 8 &&
    shape.outChannels >= 8
  );
}

function tileCount(shape: ConvShape, out: number): number {
  const [, OH, OW] = shape.geom.outSize;
  return shape.batch * Math.ceil(OH / out) * Math.ceil(OW / out);
}

export class WinogradConv {
  readonly variant: WinogradVariant;
  private readonly C: number;
  private readonly M: number;
  private readonly positions: number;
  private readonly tilesH: number;
  private readonly tilesW: number;
  readonly tiles: number;
  readonly chunk: number;
  private readonly kernels: Microkernel[];
  readonly packedU: Float32Array;
  private readonly patch: Float64Array;
  private readonly spare: Float64Array;
  private readonly result: Float64Array;

  /** `packedU`: the transformed weights of an equal WinogradConv (worker threads share them), instead of transforming `weights`. */
  constructor(readonly shape: ConvShape, readonly numerics: ConvNumerics, weights: ArrayLike<number> | null, variant?: WinogradVariant, packedU?: Float32Array) {
    this.variant = variant ?? (tileCount(shape, F4x4.out) >= MIN_LARGE_TILES ? F4x4 : F2x2);
    const { tile, out } = this.variant;
    this.positions = tile * tile;
    this.patch = new Float64Array(this.positions);
    this.spare = new Float64Array(this.positions);
    this.result = new Float64Array(out * out);
    this.C = shape.inChannels;
    this.M = shape.outChannels;
    const [, OH, OW] = shape.geom.outSize;
    this.tilesH = Math.ceil(OH / out);
    this.tilesW = Math.ceil(OW / out);
    this.tiles = tileCount(shape, out);
    const perTile = this.positions * (this.C + this.M) * Float64Array.BYTES_PER_ELEMENT;
    this.chunk = Math.min(Math.ceil(this.tiles / NR) * NR, Math.max(NR, Math.floor(SCRATCH_BUDGET_BYTES / perTile / NR) * NR));
    this.kernels = microkernels('winograd');
    this.packedU = packedU ?? this.transformWeights(weights!);
    scratch('packed-b', Float64Array, this.positions * packedBSize(this.C, this.chunk));
    scratch('columns', Float64Array, this.positions * this.M * this.chunk);
  }

  /** U_ξ[m][c] = (G g_mc Gᵀ)[ξ], row-major per ξ (the microkernels read it in place). */
  private transformWeights(w: ArrayLike<number>): Float32Array {
    const { C, M, positions } = this;
    const u = weightPanels(Float32Array, positions * M * C) as Float32Array;
    const one = new Float64Array(positions);
    for (let m = 0; m < M; m++) {
      for (let c = 0; c < C; c++) {
        this.variant.filter(w, (m * C + c) * 9, one);
        for (let xi = 0; xi < positions; xi++) u[(xi * M + m) * C + c] = one[xi];
      }
    }
    return u;
  }

  run(x: ArrayLike<number>, bias: Float64Array, y: Float32Array): void {
    if (runWinogradSplit(this, x, bias, y)) return;
    for (let t0 = 0; t0 < this.tiles; t0 += this.chunk) this.runTiles(x, bias, y, t0, Math.min(this.tiles, t0 + this.chunk));
  }

  /** Output tiles [t0, t1) (tiles numbered image by image, row by row). */
  runTiles(x: ArrayLike<number>, bias: Float64Array, y: Float32Array, t0: number, t1: number): void {
    const { C, M, positions } = this;
    const nt = t1 - t0;
    const bSize = packedBSize(C, nt);
    const v = scratch('packed-b', Float64Array, positions * packedBSize(C, this.chunk)) as Float64Array;
    const products = scratch('columns', Float64Array, positions * M * this.chunk) as Float64Array;
    for (let t = t0; t < t1; t++) this.transformInput(x, t, v, t - t0, bSize);
    const ep = plainEpilogue(M);
    for (let xi = 0; xi < positions; xi++) gemmPacked(this.kernels, M, nt, C, this.packedU, xi * M * C, v, xi * bSize, products, xi * M * nt, nt, ep, C);
    for (let t = t0; t < t1; t++) this.transformOutput(products, t, t - t0, nt, bias, y);
  }

  /** Image and top-left output position of tile t. */
  private tileOrigin(t: number): [number, number, number] {
    const perImage = this.tilesH * this.tilesW;
    const n = Math.floor(t / perImage);
    const th = Math.floor((t - n * perImage) / this.tilesW);
    return [n, th * this.variant.out, (t - n * perImage - th * this.tilesW) * this.variant.out];
  }

  /** Bᵀ d B of tile t for every channel, into column `col` of the packed V matrices. */
  private transformInput(x: ArrayLike<number>, t: number, v: Float64Array, col: number, bSize: number): void {
    const { C, patch: d, positions } = this;
    const { tile } = this.variant;
    const g = this.shape.geom;
    const [, H, W] = g.inSize;
    const [n, oh, ow] = this.tileOrigin(t);
    const h0 = oh - g.padBegin[1];
    const w0 = ow - g.padBegin[2];
    const interior = h0 >= 0 && w0 >= 0 && h0 + tile <= H && w0 + tile <= W;
    const dst = Math.floor(col / NR) * NR * C + (col % NR);
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let i = 0; i < tile; i++) {
        const ih = h0 + i;
        const row = plane + ih * W + w0;
        for (let j = 0; j < tile; j++) d[i * tile + j] = interior || (ih >= 0 && ih < H && w0 + j >= 0 && w0 + j < W) ? x[row + j] : 0;
      }
      this.variant.input(d, this.spare);
      for (let xi = 0, at = dst + c * NR; xi < positions; xi++, at += bSize) v[at] = d[xi];
    }
  }

  /** Aᵀ m A + bias, clamped, for tile t (column `col` of the products) and every output channel. */
  private transformOutput(products: Float64Array, t: number, col: number, nt: number, bias: Float64Array, y: Float32Array): void {
    const { M, patch: m, result: r, positions } = this;
    const { out } = this.variant;
    const [, OH, OW] = this.shape.geom.outSize;
    const { lo, hi } = this.numerics;
    const [n, h0, w0] = this.tileOrigin(t);
    const rows = Math.min(out, OH - h0);
    const cols = Math.min(out, OW - w0);
    const step = M * nt;
    for (let oc = 0; oc < M; oc++) {
      for (let xi = 0, p = oc * nt + col; xi < positions; xi++, p += step) m[xi] = products[p];
      this.variant.output(m, r, this.spare);
      const b = bias[oc];
      const base = ((n * M + oc) * OH + h0) * OW + w0;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const v = r[i * out + j] + b;
          y[base + i * OW + j] = v < lo ? lo : v > hi ? hi : v;
        }
      }
    }
  }
}

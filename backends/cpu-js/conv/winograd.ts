/**
 * 3×3 convolution by Winograd's minimal filtering (winograd-transforms.ts; stride 2:
 * winograd-stride2.ts): each input tile d and 3×3 filter g give an output tile
 * Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, so the channel sums become tile² independent GEMMs
 * U_ξ[M×C]·V_ξ[C×tiles]: F(4×4, 3×3) needs 2.25 multiplies per output instead of 9, F(2×2, 3×3) 4,
 * the stride-2 F(4×4) about 5.1. With many tiles the GEMMs take output channels as rows and tiles as
 * columns; with few (deep layers on small images) they are transposed, V_ξᵀ·U_ξᵀ, so that the output
 * channels fill the column panels instead of padding a handful of tiles to a whole panel. The
 * variant and orientation come from a cost model of the padded GEMMs. U (transformed once from
 * constant weights, tile²/9 times their size, read in place or packed as column panels) is float32;
 * the input transform V and the products stay in doubles, so that the only rounding beyond a direct
 * convolution's is U's. Tiles are processed in chunks that bound the scratch memory; bias and the
 * fused clamp are applied by the output transform.
 */
import { gemmPacked, plainEpilogue } from '../gemm/gemm.js';
import { Microkernel, NR, microkernels } from '../gemm/microkernel.js';
import { packedBSize } from '../gemm/packing.js';
import { scratch } from '../gemm/scratch.js';
import type { ConvNumerics, ConvShape } from './conv-gemm.js';
import { WINOGRAD_VARIANTS, WinogradVariant } from './winograd-transforms.js';
import { runWinogradSplit } from '../threads/winograd-split.js';
import { weightPanels } from '../threads/weight-panels.js';

const SCRATCH_BUDGET_BYTES = 4 * 1024 * 1024;

/**
 * Doubles between the per-position blocks of V and of the products, beyond their size. Unskewed,
 * the blocks are a multiple of 4 KiB apart (M·tiles·8 bytes), so a tile's 36 (or 49) values fall
 * in one L1 set and evict each other: the stem's output transform was a fifth of its time.
 */
const SKEW = 8;

/** A 2-D, single-group convolution with a square `kernel`, the same `stride` on both axes and no dilation. */
export function isSquare2d(shape: ConvShape, kernel: number, stride: number): boolean {
  const g = shape.geom;
  return g.rank === 2 && shape.group === 1 && g.kernel[1] === kernel && g.kernel[2] === kernel && g.strides[1] === stride && g.strides[2] === stride && g.dilations[1] === 1 && g.dilations[2] === 1;
}

/**
 * Multiply-adds per input channel the stride-2 variants may take at most, relative to im2col's, to
 * be chosen: their GEMMs and transforms ran at about ¾ of im2col's speed per multiply-add on
 * ResNet-18's stride-2 convolutions.
 */
const STRIDE2_BREAK_EVEN = 0.75;

/**
 * Input channels the stride-2 variants need: their GEMMs' depth is C where im2col's is 9C, and with
 * fewer than 32 (16 → 32 channels on 64×64) they ran no faster than im2col, with 8 slower.
 */
const STRIDE2_MIN_IN_CHANNELS = 32;

/**
 * Whether Winograd applies: 3×3 with enough channels to pay for the transforms, stride 1, or
 * stride 2 where the chosen layout needs clearly fewer multiply-adds than im2col (not on tiny images).
 */
export function winogradApplies(shape: ConvShape): boolean {
  if (shape.inChannels < 8 || shape.outChannels < 8) return false;
  if (isSquare2d(shape, 3, 1)) return true;
  return isSquare2d(shape, 3, 2) && shape.inChannels >= STRIDE2_MIN_IN_CHANNELS && layoutCost(shape, chooseLayout(shape)) <= STRIDE2_BREAK_EVEN * im2colCost(shape);
}

/** A variant and the orientation of its GEMMs: `transposed` puts tiles on the rows and output channels on the column panels. */
export interface WinogradLayout {
  variant: WinogradVariant;
  transposed: boolean;
}

function tileCount(shape: ConvShape, out: number): number {
  const [, OH, OW] = shape.geom.outSize;
  return shape.batch * Math.ceil(OH / out) * Math.ceil(OW / out);
}

const padded = (n: number, to: number): number => Math.ceil(n / to) * to;

/** Multiply-adds per input channel as the microkernels compute them: column panels are padded to NR columns, rows are not (each row count has its own kernel). */
function layoutCost(shape: ConvShape, { variant, transposed }: WinogradLayout): number {
  const M = shape.outChannels;
  const tiles = tileCount(shape, variant.out);
  return (variant.transformOverhead ?? 1) * variant.tile * variant.tile * (transposed ? tiles * padded(M, NR) : M * padded(tiles, NR));
}

/** The same for im2col + GEMM (conv-gemm.ts): output channels as rows, each image's output positions as column panels. */
function im2colCost(shape: ConvShape): number {
  const [, OH, OW] = shape.geom.outSize;
  return shape.geom.kernel[1] * shape.geom.kernel[2] * shape.outChannels * shape.batch * padded(OH * OW, NR);
}

/** The layout with the fewest multiply-adds among the variants for the filter's size and stride. Ties keep the first. */
export function chooseLayout(shape: ConvShape): WinogradLayout {
  const variants = Object.values(WINOGRAD_VARIANTS).filter((v) => v.taps === shape.geom.kernel[2] && v.stride === shape.geom.strides[2]);
  let best: WinogradLayout = { variant: variants[0], transposed: false };
  let bestCost = Infinity;
  for (const variant of variants) {
    for (const transposed of [false, true]) {
      const cost = layoutCost(shape, { variant, transposed });
      if (cost < bestCost) {
        bestCost = cost;
        best = { variant, transposed };
      }
    }
  }
  return best;
}

/** Output tiles [t0, t1) and output channels [m0, m1) (m0 a multiple of NR): a block threads can compute apart. */
export interface WinogradPart {
  t0: number;
  t1: number;
  m0: number;
  m1: number;
}

export class WinogradConv {
  readonly variant: WinogradVariant;
  readonly transposed: boolean;
  private readonly C: number;
  readonly M: number;
  private readonly positions: number;
  private readonly tilesH: number;
  private readonly tilesW: number;
  readonly tiles: number;
  readonly chunk: number;
  private readonly kernels: Microkernel[];
  /** Per tile position ξ: U_ξ [M×C] row-major, or (transposed) U_ξᵀ packed as column panels over the output channels. */
  readonly packedU: Float32Array;
  private readonly uSize: number;
  private readonly patch: Float64Array;
  private readonly spare: Float64Array;
  private readonly result: Float64Array;
  private readonly origin = new Int32Array(3);

  /** `packedU`: the transformed weights of an equal WinogradConv (worker threads share them), instead of transforming `weights`. */
  constructor(readonly shape: ConvShape, readonly numerics: ConvNumerics, weights: ArrayLike<number> | null, layout: WinogradLayout = chooseLayout(shape), packedU?: Float32Array) {
    ({ variant: this.variant, transposed: this.transposed } = layout);
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
    this.chunk = Math.min(padded(this.tiles, NR), Math.max(NR, Math.floor(SCRATCH_BUDGET_BYTES / perTile / NR) * NR));
    this.kernels = microkernels(this.transposed ? 'winograd, tiles as rows' : 'winograd', 'store');
    this.uSize = this.transposed ? packedBSize(this.C, this.M) : this.M * this.C;
    this.packedU = packedU ?? this.transformWeights(weights!);
    scratch('packed-b', Float64Array, this.positions * (packedBSize(this.C, this.chunk) + SKEW));
    scratch('columns', Float64Array, this.positions * (this.M * this.chunk + SKEW));
  }

  /** U_ξ[m][c] = (G g_mc Gᵀ)[ξ], at the place the GEMMs read it from. */
  private transformWeights(w: ArrayLike<number>): Float32Array {
    const { C, M, positions, uSize } = this;
    const u = weightPanels(Float32Array, positions * uSize) as Float32Array;
    const one = new Float64Array(positions);
    const taps2 = this.variant.taps ** 2;
    for (let m = 0; m < M; m++) {
      // Transposed: U_ξᵀ as packB lays out a C×M matrix, NR output channels per panel.
      const row = this.transposed ? Math.floor(m / NR) * NR * C + (m % NR) : m * C;
      const step = this.transposed ? NR : 1;
      for (let c = 0; c < C; c++) {
        this.variant.filter(w, (m * C + c) * taps2, one);
        for (let xi = 0, at = row + c * step; xi < positions; xi++, at += uSize) u[at] = one[xi];
      }
    }
    return u;
  }

  run(x: ArrayLike<number>, bias: Float64Array, y: Float32Array): void {
    if (runWinogradSplit(this, x, bias, y)) return;
    this.runPart(x, bias, y, { t0: 0, t1: this.tiles, m0: 0, m1: this.M });
  }

  /** One block of the output, tile chunk by tile chunk. */
  runPart(x: ArrayLike<number>, bias: Float64Array, y: Float32Array, { t0, t1, m0, m1 }: WinogradPart): void {
    for (let t = t0; t < t1; t += this.chunk) this.runTiles(x, bias, y, t, Math.min(t1, t + this.chunk), m0, m1);
  }

  /** Output tiles [t0, t1) (tiles numbered image by image, row by row) of output channels [m0, m1). */
  private runTiles(x: ArrayLike<number>, bias: Float64Array, y: Float32Array, t0: number, t1: number, m0: number, m1: number): void {
    const { C, M, positions, uSize } = this;
    const nt = t1 - t0;
    const vSize = (this.transposed ? nt * C : packedBSize(C, nt)) + SKEW;
    const v = scratch('packed-b', Float64Array, positions * (packedBSize(C, this.chunk) + SKEW)) as Float64Array;
    const products = scratch('columns', Float64Array, positions * (M * this.chunk + SKEW)) as Float64Array;
    for (let t = t0; t < t1; t++) this.transformInput(x, t, v, t - t0, vSize);
    const step = M * nt + SKEW;
    const ep = plainEpilogue(Math.max(nt, m1 - m0));
    for (let xi = 0; xi < positions; xi++) {
      if (this.transposed) gemmPacked(this.kernels, nt, m1 - m0, C, v, xi * vSize, this.packedU, xi * uSize + m0 * C, products, xi * step + m0, M, ep, C);
      else gemmPacked(this.kernels, m1 - m0, nt, C, this.packedU, xi * uSize + m0 * C, v, xi * vSize, products, xi * step + m0 * nt, nt, ep, C);
    }
    for (let t = t0; t < t1; t++) this.transformOutput(products, step, t, t - t0, nt, m0, m1, bias, y);
  }

  /** Image and top-left output position of tile t, into `origin` (no allocation per tile). */
  private tileOrigin(t: number): Int32Array {
    const perImage = this.tilesH * this.tilesW;
    const n = Math.floor(t / perImage);
    const th = Math.floor((t - n * perImage) / this.tilesW);
    const o = this.origin;
    o[0] = n;
    o[1] = th * this.variant.out;
    o[2] = (t - n * perImage - th * this.tilesW) * this.variant.out;
    return o;
  }

  /** Bᵀ d B of tile t for every channel, into column `col` of the packed V matrices (transposed: row `col` of Vᵀ, read in place). */
  private transformInput(x: ArrayLike<number>, t: number, v: Float64Array, col: number, vSize: number): void {
    const { C, patch: d, positions } = this;
    const { tile, stride } = this.variant;
    const g = this.shape.geom;
    const H = g.inSize[1];
    const W = g.inSize[2];
    const origin = this.tileOrigin(t);
    const n = origin[0];
    const oh = origin[1];
    const ow = origin[2];
    const h0 = stride * oh - g.padBegin[1];
    const w0 = stride * ow - g.padBegin[2];
    const interior = h0 >= 0 && w0 >= 0 && h0 + tile <= H && w0 + tile <= W;
    const dst = this.transposed ? col * C : Math.floor(col / NR) * NR * C + (col % NR);
    const channelStep = this.transposed ? 1 : NR;
    const inputFrom = this.variant.inputFrom;
    if (interior && inputFrom) {
      for (let c = 0; c < C; c++) inputFrom(x, (n * C + c) * H * W + h0 * W + w0, W, this.spare, v, dst + c * channelStep, vSize);
      return;
    }
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let i = 0; i < tile; i++) {
        const ih = h0 + i;
        const row = plane + ih * W + w0;
        for (let j = 0; j < tile; j++) d[i * tile + j] = interior || (ih >= 0 && ih < H && w0 + j >= 0 && w0 + j < W) ? x[row + j] : 0;
      }
      this.variant.input(d, this.spare);
      for (let xi = 0, at = dst + c * channelStep; xi < positions; xi++, at += vSize) v[at] = d[xi];
    }
  }

  /** Aᵀ m A + bias, clamped, for tile t (column `col` of the products, row `col` when transposed) and output channels [m0, m1). */
  private transformOutput(products: Float64Array, step: number, t: number, col: number, nt: number, m0: number, m1: number, bias: Float64Array, y: Float32Array): void {
    const { M, result: r } = this;
    const { out } = this.variant;
    const OH = this.shape.geom.outSize[1];
    const OW = this.shape.geom.outSize[2];
    // Doubles (`+ 0`): clamping to the raw fields would box every output (see gemm/microkernel.ts).
    const lo = this.numerics.lo + 0;
    const hi = this.numerics.hi + 0;
    const origin = this.tileOrigin(t);
    const n = origin[0];
    const h0 = origin[1];
    const w0 = origin[2];
    const rows = Math.min(out, OH - h0);
    const cols = Math.min(out, OW - w0);
    const outputTo = rows === out && cols === out ? this.variant.outputTo : undefined;
    for (let oc = m0; oc < m1; oc++) {
      const first = this.transposed ? col * M + oc : oc * nt + col;
      const b = bias[oc];
      const base = ((n * M + oc) * OH + h0) * OW + w0;
      if (outputTo) {
        outputTo(products, first, step, y, base, OW, b, lo, hi, this.spare);
        continue;
      }
      this.variant.output(products, first, step, r, this.spare);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const v = r[i * out + j] + b;
          y[base + i * OW + j] = v < lo ? lo : v > hi ? hi : v;
        }
      }
    }
  }
}

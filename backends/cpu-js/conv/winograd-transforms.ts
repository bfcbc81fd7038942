/**
 * Winograd minimal-filtering transforms for 3×3 filters (Lavin & Gray 2015): F(2×2, 3×3) on 4×4
 * tiles and F(4×4, 3×3) on 6×6 tiles (interpolation points 0, ±1, ±2, ∞). Each is applied along
 * columns, then rows; all arithmetic is in doubles. Matrices, for F(4×4, 3×3):
 *   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
 *   G  = [1/4 0 0; −1/6 −1/6 −1/6; −1/6 1/6 −1/6; 1/24 1/12 1/6; 1/24 −1/12 1/6; 0 0 1]
 *   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
 * and for F(2×2, 3×3): Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
 * Aᵀ = [1 1 1 0; 0 1 −1 −1]. F(3×3, 4×4), for 4×4 filters (a 7×7 stride-2 convolution seen through
 * space-to-depth: space-to-depth.ts), uses the same points and so the same Bᵀ, with
 *   G  = [1/4 0 0 0; −1/6 −1/6 −1/6 −1/6; −1/6 1/6 −1/6 1/6; 1/24 1/12 1/6 1/3; 1/24 −1/12 1/6 −1/3; 0 0 0 1]
 *   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 1]
 * F(5×5, 3×3) on 7×7 tiles (points 0, ±1, ±2, ½, ∞: 1.96 multiplies per output where F(4×4) needs
 * 2.25, and 14×14 images split into whole 5×5 tiles with less padding than into 4×4 ones: ResNet
 * layer 3) runs from its matrices (winograd-separable.ts):
 *   Bᵀ = [4 −8 −5 10 1 −2 0; 0 −4 4 9 −1 −2 0; 0 −4 12 −7 −3 2 0; 0 2 −3 −4 3 2 0; 0 2 −5 0 5 −2 0; 0 4 0 −5 0 1 0; 0 −4 8 5 −10 −1 2]
 *   G  = [1/4 0 0; 1/6 1/6 1/6; 1/18 −1/18 1/18; 1/72 1/36 1/18; 1/120 −1/60 1/30; 32/45 16/45 8/45; 0 0 1/2]
 *   Aᵀ = [1 1 1 1 1 1 0; 0 1 −1 2 −2 1/2 0; 0 1 1 4 4 1/4 0; 0 1 −1 8 −8 1/8 0; 0 1 1 16 16 1/16 1]
 * F(5×5, 4×4) on 8×8 tiles (points 0, ±1, ±2, ±½, ∞; the stem's 112×112 output in 23 tiles a
 * side, 2.6 multiplies per output and phase channel where F(3×3, 4×4) needs 4.3 with padding):
 *   Bᵀ = [4 0 −21 0 21 0 −4 0; 0 −4 −4 17 17 −4 −4 0; 0 4 −4 −17 17 4 −4 0; 0 2 1 −10 −5 8 4 0;
 *         0 −2 1 10 −5 −8 4 0; 0 4 8 −5 −10 1 2 0; 0 −4 8 5 −10 −1 2 0; 0 −4 0 21 0 −21 0 4]
 *   G  = [1/4 0 0 0; 1/18 1/18 1/18 1/18; 1/18 −1/18 1/18 −1/18; 1/360 1/180 1/90 1/45;
 *         1/360 −1/180 1/90 −1/45; 16/45 8/45 4/45 2/45; 16/45 −8/45 4/45 −2/45; 0 0 0 1/4]
 *   Aᵀ = [1 1 1 1 1 1 1 0; 0 1 −1 2 −2 ½ −½ 0; 0 1 1 4 4 ¼ ¼ 0; 0 1 −1 8 −8 ⅛ −⅛ 0; 0 1 1 16 16 1/16 1/16 1]
 * (Cook–Toom matrices; test/backends/cpu-js/winograd-layouts.test.ts checks each variant against onnxruntime).
 * The stride-2 variants for 3×3 filters live in winograd-stride2.ts.
 */
import { matrixVariant } from './winograd-separable.js';
import { F2x2Stride2, F3x3Stride2, F4x4Stride2 } from './winograd-stride2.js';

export interface WinogradVariant {
  name: WinogradVariantName;
  /** Input tile side (out + taps − 1), output tile side, filter side. */
  tile: number;
  out: number;
  taps: number;
  /** Input rows (and columns) between the first inputs of two neighbouring outputs: tiles start stride·out apart. */
  stride: number;
  /** What the layout choice multiplies this variant's GEMM cost by for transforms dearer than the hand-written ones (default 1). */
  transformOverhead?: number;
  /** G g Gᵀ: taps² filter taps (row-major, from off) into tile² values. */
  filter(g: ArrayLike<number>, off: number, u: Float64Array): void;
  /** Bᵀ d B of a tile² patch, in place (scratch: tile² doubles). */
  input(d: Float64Array, scratch: Float64Array): void;
  /**
   * The same for a patch read straight from x (row r at `at + r·W`) and written to v at `out + ξ·step`
   * for position ξ: interior tiles skip the staging copies. Same operations in the same order.
   */
  inputFrom?(x: ArrayLike<number>, at: number, W: number, scratch: Float64Array, v: Float64Array, out: number, step: number): void;
  /** Aᵀ m A: a tile² product (position ξ at m[at + ξ·step]) into out² values (scratch: tile² doubles). */
  output(m: Float64Array, at: number, step: number, y: Float64Array, scratch: Float64Array): void;
  /**
   * The same for a whole tile inside the output, finished in place: row r of the tile goes to
   * y[yAt + r·W …] as clamp(value + bias, lo, hi), with no staging copy (the output transform of
   * the stem was a fifth of its time).
   */
  outputTo?(m: Float64Array, at: number, step: number, y: Float32Array, yAt: number, W: number, bias: number, lo: number, hi: number, scratch: Float64Array): void;
}

/** One transform of 3 values into `n` values, stride-addressed, applied to G's rows. */
type Vec3 = (a: number, b: number, c: number, o: Float64Array, at: number, step: number) => void;

function filterWith(tile: number, g3: Vec3): WinogradVariant['filter'] {
  const t = new Float64Array(tile * 3);
  return (g, off, u) => {
    for (let j = 0; j < 3; j++) g3(g[off + j], g[off + 3 + j], g[off + 6 + j], t, j, 3);
    for (let i = 0; i < tile; i++) g3(t[i * 3], t[i * 3 + 1], t[i * 3 + 2], u, i * tile, 1);
  };
}

const g6: Vec3 = (g0, g1, g2, o, at, step) => {
  o[at] = g0 / 4;
  o[at + step] = -(g0 + g1 + g2) / 6;
  o[at + 2 * step] = -(g0 - g1 + g2) / 6;
  o[at + 3 * step] = g0 / 24 + g1 / 12 + g2 / 6;
  o[at + 4 * step] = g0 / 24 - g1 / 12 + g2 / 6;
  o[at + 5 * step] = g2;
};

const g4: Vec3 = (g0, g1, g2, o, at, step) => {
  o[at] = g0;
  o[at + step] = (g0 + g1 + g2) / 2;
  o[at + 2 * step] = (g0 - g1 + g2) / 2;
  o[at + 3 * step] = g2;
};

function f4x4Input(d: Float64Array, s: Float64Array): void {
  for (let pass = 0; pass < 2; pass++) {
    const src = pass === 0 ? d : s;
    const dst = pass === 0 ? s : d;
    // pass 0 walks columns (stride 6), pass 1 rows (stride 1)
    const step = pass === 0 ? 6 : 1;
    const next = pass === 0 ? 1 : 6;
    for (let k = 0, at = 0; k < 6; k++, at += next) {
      const d0 = src[at];
      const d1 = src[at + step];
      const d2 = src[at + 2 * step];
      const d3 = src[at + 3 * step];
      const d4 = src[at + 4 * step];
      const d5 = src[at + 5 * step];
      dst[at] = 4 * d0 - 5 * d2 + d4;
      dst[at + step] = -4 * (d1 + d2) + d3 + d4;
      dst[at + 2 * step] = 4 * (d1 - d2) - d3 + d4;
      dst[at + 3 * step] = 2 * (d3 - d1) - d2 + d4;
      dst[at + 4 * step] = 2 * (d1 - d3) - d2 + d4;
      dst[at + 5 * step] = 4 * d1 - 5 * d3 + d5;
    }
  }
}

function f4x4InputFrom(x: ArrayLike<number>, at: number, W: number, t: Float64Array, v: Float64Array, out: number, step: number): void {
  for (let j = 0; j < 6; j++) {
    const d0 = x[at + j];
    const d1 = x[at + W + j];
    const d2 = x[at + 2 * W + j];
    const d3 = x[at + 3 * W + j];
    const d4 = x[at + 4 * W + j];
    const d5 = x[at + 5 * W + j];
    t[j] = 4 * d0 - 5 * d2 + d4;
    t[6 + j] = -4 * (d1 + d2) + d3 + d4;
    t[12 + j] = 4 * (d1 - d2) - d3 + d4;
    t[18 + j] = 2 * (d3 - d1) - d2 + d4;
    t[24 + j] = 2 * (d1 - d3) - d2 + d4;
    t[30 + j] = 4 * d1 - 5 * d3 + d5;
  }
  for (let r = 0, o = out; r < 36; r += 6, o += 6 * step) {
    const d0 = t[r];
    const d1 = t[r + 1];
    const d2 = t[r + 2];
    const d3 = t[r + 3];
    const d4 = t[r + 4];
    const d5 = t[r + 5];
    v[o] = 4 * d0 - 5 * d2 + d4;
    v[o + step] = -4 * (d1 + d2) + d3 + d4;
    v[o + 2 * step] = 4 * (d1 - d2) - d3 + d4;
    v[o + 3 * step] = 2 * (d3 - d1) - d2 + d4;
    v[o + 4 * step] = 2 * (d1 - d3) - d2 + d4;
    v[o + 5 * step] = 4 * d1 - 5 * d3 + d5;
  }
}

/**
 * Aᵀ for the points 0, ±1, ±2, ∞ on one line of 6 values (o[at + r·step] for output r): the first
 * `rows` rows of [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 0], the last of them also
 * taking m5, the point at infinity. F(4×4, 3×3) uses 4 rows, F(3×3, 4×4) 3.
 */
function outputLine(m0: number, m1: number, m2: number, m3: number, m4: number, m5: number, o: Float64Array, at: number, step: number, rows: number): void {
  o[at] = m0 + m1 + m2 + m3 + m4;
  o[at + step] = m1 - m2 + 2 * (m3 - m4);
  const r2 = m1 + m2 + 4 * (m3 + m4);
  if (rows === 3) {
    o[at + 2 * step] = r2 + m5;
    return;
  }
  o[at + 2 * step] = r2;
  o[at + 3 * step] = m1 - m2 + 8 * (m3 - m4) + m5;
}

/** Aᵀ along the columns of a 6×6 product (position ξ at m[at + ξ·step]) into `rows` rows of 6 in s. */
function columnsOfSix(m: Float64Array, at: number, step: number, s: Float64Array, rows: number): void {
  for (let j = 0; j < 6; j++) {
    const p = at + j * step;
    outputLine(m[p], m[p + 6 * step], m[p + 12 * step], m[p + 18 * step], m[p + 24 * step], m[p + 30 * step], s, j, 6, rows);
  }
}

/** Aᵀ m A of a 6×6 product into rows × rows values: along columns into the scratch, then along rows. */
function outputOfSix(rows: number): WinogradVariant['output'] {
  return (m, at, step, y, s) => {
    columnsOfSix(m, at, step, s, rows);
    for (let i = 0; i < rows; i++) {
      const r = i * 6;
      outputLine(s[r], s[r + 1], s[r + 2], s[r + 3], s[r + 4], s[r + 5], y, i * rows, 1, rows);
    }
  };
}

/** outputLine's values for one row, stored at y[at …] as clamp(value + b, lo, hi). */
function finishedLine(s: Float64Array, r: number, y: Float32Array, at: number, b: number, lo: number, hi: number, rows: number): void {
  // Doubles (`+ 0`): clamping to the raw parameters would box every output (see gemm/microkernel.ts).
  const floor = lo + 0;
  const ceiling = hi + 0;
  const m1 = s[r + 1];
  const m2 = s[r + 2];
  const m3 = s[r + 3];
  const m4 = s[r + 4];
  let v = s[r] + m1 + m2 + m3 + m4 + b;
  y[at] = v < floor ? floor : v > ceiling ? ceiling : v;
  v = m1 - m2 + 2 * (m3 - m4) + b;
  y[at + 1] = v < floor ? floor : v > ceiling ? ceiling : v;
  const r2 = m1 + m2 + 4 * (m3 + m4);
  v = (rows === 3 ? r2 + s[r + 5] : r2) + b;
  y[at + 2] = v < floor ? floor : v > ceiling ? ceiling : v;
  if (rows === 3) return;
  v = m1 - m2 + 8 * (m3 - m4) + s[r + 5] + b;
  y[at + 3] = v < floor ? floor : v > ceiling ? ceiling : v;
}

function outputOfSixTo(rows: number): NonNullable<WinogradVariant['outputTo']> {
  return (m, at, step, y, yAt, W, b, lo, hi, s) => {
    columnsOfSix(m, at, step, s, rows);
    for (let i = 0; i < rows; i++) finishedLine(s, i * 6, y, yAt + i * W, b, lo, hi, rows);
  };
}

export const F4x4: WinogradVariant = {
  name: 'F4x4',
  tile: 6,
  out: 4,
  taps: 3,
  stride: 1,
  filter: filterWith(6, g6),
  input: f4x4Input,
  inputFrom: f4x4InputFrom,
  output: outputOfSix(4),
  outputTo: outputOfSixTo(4),
};

export const F2x2: WinogradVariant = {
  name: 'F2x2',
  tile: 4,
  out: 2,
  taps: 3,
  stride: 1,
  filter: filterWith(4, g4),
  input(d, s) {
    for (let pass = 0; pass < 2; pass++) {
      const src = pass === 0 ? d : s;
      const dst = pass === 0 ? s : d;
      const step = pass === 0 ? 4 : 1;
      const next = pass === 0 ? 1 : 4;
      for (let k = 0, at = 0; k < 4; k++, at += next) {
        const d0 = src[at];
        const d1 = src[at + step];
        const d2 = src[at + 2 * step];
        const d3 = src[at + 3 * step];
        dst[at] = d0 - d2;
        dst[at + step] = d1 + d2;
        dst[at + 2 * step] = d2 - d1;
        dst[at + 3 * step] = d1 - d3;
      }
    }
  },
  output(m, at, step, y, s) {
    for (let j = 0; j < 4; j++) {
      s[j] = m[at + j * step] + m[at + (4 + j) * step] + m[at + (8 + j) * step];
      s[4 + j] = m[at + (4 + j) * step] - m[at + (8 + j) * step] - m[at + (12 + j) * step];
    }
    for (let i = 0; i < 2; i++) {
      const r = i * 4;
      y[i * 2] = s[r] + s[r + 1] + s[r + 2];
      y[i * 2 + 1] = s[r + 1] - s[r + 2] - s[r + 3];
    }
  },
};

/** G's rows for a 4-tap filter: one column of G g (6 values) from 4 taps. */
function g6of4(g0: number, g1: number, g2: number, g3: number, o: Float64Array, at: number, step: number): void {
  o[at] = g0 / 4;
  o[at + step] = -(g0 + g1 + g2 + g3) / 6;
  o[at + 2 * step] = -(g0 - g1 + g2 - g3) / 6;
  o[at + 3 * step] = g0 / 24 + g1 / 12 + g2 / 6 + g3 / 3;
  o[at + 4 * step] = g0 / 24 - g1 / 12 + g2 / 6 - g3 / 3;
  o[at + 5 * step] = g3;
}

const filter4 = new Float64Array(6 * 4);

export const F3x3For4x4: WinogradVariant = {
  name: 'F3x3For4x4',
  tile: 6,
  out: 3,
  taps: 4,
  stride: 1,
  filter(g, off, u) {
    const t = filter4;
    for (let j = 0; j < 4; j++) g6of4(g[off + j], g[off + 4 + j], g[off + 8 + j], g[off + 12 + j], t, j, 4);
    for (let i = 0; i < 6; i++) g6of4(t[i * 4], t[i * 4 + 1], t[i * 4 + 2], t[i * 4 + 3], u, i * 6, 1);
  },
  input: f4x4Input,
  inputFrom: f4x4InputFrom,
  output: outputOfSix(3),
  outputTo: outputOfSixTo(3),
};

export const F5x5: WinogradVariant = matrixVariant(
  'F5x5',
  [
    [4, -8, -5, 10, 1, -2, 0],
    [0, -4, 4, 9, -1, -2, 0],
    [0, -4, 12, -7, -3, 2, 0],
    [0, 2, -3, -4, 3, 2, 0],
    [0, 2, -5, 0, 5, -2, 0],
    [0, 4, 0, -5, 0, 1, 0],
    [0, -4, 8, 5, -10, -1, 2],
  ],
  [
    [1 / 4, 0, 0],
    [1 / 6, 1 / 6, 1 / 6],
    [1 / 18, -1 / 18, 1 / 18],
    [1 / 72, 1 / 36, 1 / 18],
    [1 / 120, -1 / 60, 1 / 30],
    [32 / 45, 16 / 45, 8 / 45],
    [0, 0, 1 / 2],
  ],
  [
    [1, 1, 1, 1, 1, 1, 0],
    [0, 1, -1, 2, -2, 1 / 2, 0],
    [0, 1, 1, 4, 4, 1 / 4, 0],
    [0, 1, -1, 8, -8, 1 / 8, 0],
    [0, 1, 1, 16, 16, 1 / 16, 1],
  ],
);

export const F5x5For4x4: WinogradVariant = matrixVariant(
  'F5x5For4x4',
  [
    [4, 0, -21, 0, 21, 0, -4, 0],
    [0, -4, -4, 17, 17, -4, -4, 0],
    [0, 4, -4, -17, 17, 4, -4, 0],
    [0, 2, 1, -10, -5, 8, 4, 0],
    [0, -2, 1, 10, -5, -8, 4, 0],
    [0, 4, 8, -5, -10, 1, 2, 0],
    [0, -4, 8, 5, -10, -1, 2, 0],
    [0, -4, 0, 21, 0, -21, 0, 4],
  ],
  [
    [1 / 4, 0, 0, 0],
    [1 / 18, 1 / 18, 1 / 18, 1 / 18],
    [1 / 18, -1 / 18, 1 / 18, -1 / 18],
    [1 / 360, 1 / 180, 1 / 90, 1 / 45],
    [1 / 360, -1 / 180, 1 / 90, -1 / 45],
    [16 / 45, 8 / 45, 4 / 45, 2 / 45],
    [16 / 45, -8 / 45, 4 / 45, -2 / 45],
    [0, 0, 0, 1 / 4],
  ],
  [
    [1, 1, 1, 1, 1, 1, 1, 0],
    [0, 1, -1, 2, -2, 1 / 2, -1 / 2, 0],
    [0, 1, 1, 4, 4, 1 / 4, 1 / 4, 0],
    [0, 1, -1, 8, -8, 1 / 8, -1 / 8, 0],
    [0, 1, 1, 16, 16, 1 / 16, 1 / 16, 1],
  ],
);

export type WinogradVariantName = 'F4x4' | 'F2x2' | 'F5x5' | 'F3x3For4x4' | 'F5x5For4x4' | 'F4x4Stride2' | 'F3x3Stride2' | 'F2x2Stride2';

/** Every variant by name (worker threads are told the name); the cost model keeps the first of equally cheap ones. */
export const WINOGRAD_VARIANTS: Record<WinogradVariantName, WinogradVariant> = { F4x4, F2x2, F5x5, F3x3For4x4, F5x5For4x4, F4x4Stride2, F3x3Stride2, F2x2Stride2 };

/**
 * Winograd variants built from their 1-D transforms: G, Bᵀ and Aᵀ each applied along columns, then
 * rows (G g Gᵀ, Bᵀ d B, Aᵀ m A). The transforms are hand-written lines (winograd-stride2.ts) or
 * generated from the matrices (matrixVariant: straight-line code per matrix, made with new Function
 * as the GEMM microkernels are, every value loaded once and zero entries skipped). All arithmetic
 * is in doubles.
 */
import type { WinogradVariant, WinogradVariantName } from './winograd-transforms.js';

/** Generated line code over dense matrices costs more per tile than the hand-written transforms (F5x5 vs F4x4 on 56×56: 2% fewer multiply-adds, slower). */
const TRANSFORM_OVERHEAD = 1.1;

/** y[yAt + i·yStep] = Σ_k M[i][k]·x[xAt + k·xStep] for every row i of one transform matrix M. */
export type LineTransform = (x: ArrayLike<number>, xAt: number, xStep: number, y: Float64Array, yAt: number, yStep: number) => void;

/** A variant's sizes, and its 1-D transforms: G (taps → tile values), Bᵀ (tile → tile), Aᵀ (tile → out). */
export type Separable = Pick<WinogradVariant, 'name' | 'tile' | 'out' | 'taps' | 'stride' | 'transformOverhead'> & {
  filter: LineTransform;
  input: LineTransform;
  output: LineTransform;
};

export function separableVariant({ filter, input, output, ...sizes }: Separable): WinogradVariant {
  const { tile, out, taps } = sizes;
  const columns = new Float64Array(tile * taps);
  return {
    ...sizes,
    filter(g, off, u) {
      for (let j = 0; j < taps; j++) filter(g, off + j, taps, columns, j, taps);
      for (let i = 0; i < tile; i++) filter(columns, i * taps, 1, u, i * tile, 1);
    },
    input(d, s) {
      for (let j = 0; j < tile; j++) input(d, j, tile, s, j, tile);
      for (let i = 0; i < tile; i++) input(s, i * tile, 1, d, i * tile, 1);
    },
    inputFrom(x, at, W, s, v, to, step) {
      for (let j = 0; j < tile; j++) input(x, at + j, W, s, j, tile);
      for (let i = 0; i < tile; i++) input(s, i * tile, 1, v, to + i * tile * step, step);
    },
    output(m, at, step, y, s) {
      for (let j = 0; j < tile; j++) output(m, at + j * step, tile * step, s, j, tile);
      for (let i = 0; i < out; i++) output(s, i * tile, 1, y, i * out, 1);
    },
  };
}

function lineTransform(matrix: readonly (readonly number[])[]): LineTransform {
  const width = matrix[0].length;
  const lines = ['return function line(x, xAt, xStep, y, yAt, yStep) {'];
  for (let k = 0; k < width; k++) if (matrix.some((row) => row[k] !== 0)) lines.push(`  const x${k} = x[xAt + ${k} * xStep];`);
  matrix.forEach((row, i) => {
    const terms = row.flatMap((c, k) => (c === 0 ? [] : [c === 1 ? `x${k}` : c === -1 ? `-x${k}` : `${c} * x${k}`]));
    lines.push(`  y[yAt + ${i} * yStep] = ${terms.length ? terms.join(' + ') : '0'};`);
  });
  lines.push('};');
  return new Function(lines.join('\n'))() as LineTransform;
}

/** A stride-1 variant from its matrices Bᵀ (tile × tile), G (tile × taps) and Aᵀ (out × tile). */
export function matrixVariant(name: WinogradVariantName, BT: number[][], G: number[][], AT: number[][]): WinogradVariant {
  return separableVariant({
    name,
    tile: BT.length,
    out: AT.length,
    taps: G[0].length,
    stride: 1,
    transformOverhead: TRANSFORM_OVERHEAD,
    filter: lineTransform(G),
    input: lineTransform(BT),
    output: lineTransform(AT),
  });
}

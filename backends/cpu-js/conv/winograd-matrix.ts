/**
 * Winograd variants given by their matrices: Bᵀ (tile × tile), G (tile × taps) and Aᵀ (out × tile),
 * for variants without hand-written transforms. Each matrix becomes straight-line code for one line
 * (new Function, as the GEMM microkernels are made: every value loaded once, zero entries skipped),
 * applied along columns, then rows. All arithmetic is in doubles.
 */
import type { WinogradVariant, WinogradVariantName } from './winograd-transforms.js';

/** Generated line code over dense matrices costs more per tile than the hand-written transforms (F5x5 vs F4x4 on 56×56: 2% fewer multiply-adds, slower). */
const TRANSFORM_OVERHEAD = 1.1;

/** y[yAt + i·yStep] = Σ_k M[i][k]·x[xAt + k·xStep] for every row i of M. */
type LineTransform = (x: ArrayLike<number>, xAt: number, xStep: number, y: Float64Array, yAt: number, yStep: number) => void;

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

export function matrixVariant(name: WinogradVariantName, BT: number[][], G: number[][], AT: number[][]): WinogradVariant {
  const tile = BT.length;
  const taps = G[0].length;
  const out = AT.length;
  const inputLine = lineTransform(BT);
  const filterLine = lineTransform(G);
  const outputLine = lineTransform(AT);
  const columns = new Float64Array(tile * taps);
  return {
    name,
    tile,
    out,
    taps,
    stride: 1,
    transformOverhead: TRANSFORM_OVERHEAD,
    filter(g, off, u) {
      for (let j = 0; j < taps; j++) filterLine(g, off + j, taps, columns, j, taps);
      for (let i = 0; i < tile; i++) filterLine(columns, i * taps, 1, u, i * tile, 1);
    },
    input(d, s) {
      for (let j = 0; j < tile; j++) inputLine(d, j, tile, s, j, tile);
      for (let i = 0; i < tile; i++) inputLine(s, i * tile, 1, d, i * tile, 1);
    },
    output(m, at, step, y, s) {
      for (let j = 0; j < tile; j++) outputLine(m, at + j * step, tile * step, s, j, tile);
      for (let i = 0; i < out; i++) outputLine(s, i * tile, 1, y, i * out, 1);
    },
  };
}

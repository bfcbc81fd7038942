/**
 * GEMM microkernels: C[r×NR tile] = epilogue(Σ_p A[p][r]·B[p][c]) with the tile's MR·NR sums held
 * in local variables (JS has no SIMD, so register tiling over scalar doubles is the whole trick:
 * each loaded A and B value is used NR resp. MR times). The source is generated once per row count
 * and per family, so that each family (float32 out, float64 out, int32 out) gets its own compiled
 * code and type feedback stays monomorphic.
 *
 * Epilogue, per element: v = alpha·sum + bias[row] (+ C[i][j] when accumulating), clamped to
 * [lo, hi] (±Infinity when there is no fused activation; a NaN passes through unclamped).
 */
import type { PanelArray } from './packing.js';

/** Rows of A per panel and columns of B per panel; 6×8 measured fastest in V8 on x64 (48 accumulators). */
export const MR = 6;
export const NR = 8;

export type OutputArray = Float32Array | Float64Array | Int32Array;

/**
 * Computes one tile: `rows` ≤ MR rows (the function is specialised to it) by `cols` ≤ NR columns,
 * from K steps of A and a K-deep panel of B (stride NR, starting at bOff). A's row r at step p is
 * A[aOff + r·aRow + p·aStep]: a packed panel has aRow 1 and aStep MR, a row-major matrix (weights
 * read in place) aRow = its row length and aStep 1.
 */
export type Microkernel = (
  K: number,
  A: PanelArray,
  aOff: number,
  aRow: number,
  aStep: number,
  B: PanelArray,
  bOff: number,
  C: OutputArray,
  cOff: number,
  ldc: number,
  cols: number,
  alpha: number,
  accumulate: boolean,
  bias: Float64Array,
  biasOff: number,
  lo: number,
  hi: number,
) => void;

/**
 * What a kernel does with its sums: 'full' applies the whole epilogue; 'store' stores the sums as
 * they are and ignores alpha, bias, accumulate and the clamp (for callers whose epilogue is always
 * plainEpilogue: with K as short as 12 the full epilogue is a quarter of a call's work).
 */
export type Finish = 'full' | 'store';

/** 'store': each row's sums stored as they are (through the tile for a partial row). */
function storeSums(rows: number): string[] {
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    lines.push(`  {`, `    const o = cOff + ${r} * ldc;`, `    if (cols === ${NR}) {`);
    for (let c = 0; c < NR; c++) lines.push(`      C[o + ${c}] = c${r}_${c};`);
    lines.push('    } else {', `      ${Array.from({ length: NR }, (_, c) => `tile[${c}] = c${r}_${c};`).join(' ')}`);
    lines.push('      for (let c = 0; c < cols; c++) C[o + c] = tile[c];', '    }', '  }');
  }
  return lines;
}

/**
 * 'full': the sums go to the tile first, so that they are not live across the epilogue (with 48 of
 * them live through 48 unrolled clamped stores, optimizing one kernel took 12 MB of compiler memory),
 * then every element is finished from there.
 */
function finishSums(rows: number): string[] {
  // `lo + 0` is a double: a clamp choosing between the raw (tagged) parameter and a double sum
  // makes V8 box every stored value (measured: 60 MB of HeapNumbers per ResNet stem, and GC).
  const lines = ['  const floor = lo + 0, ceiling = hi + 0;'];
  for (let r = 0; r < rows; r++) lines.push(`  ${Array.from({ length: NR }, (_, c) => `tile[${r * NR + c}] = c${r}_${c};`).join(' ')}`);
  lines.push(`  for (let r = 0; r < ${rows}; r++) {`, '    const o = cOff + r * ldc, bb = bias[biasOff + r];');
  lines.push(`    for (let c = 0, t = r * ${NR}; c < cols; c++, t++) { let v = alpha * tile[t] + bb; if (accumulate) v += C[o + c]; C[o + c] = v < floor ? floor : v > ceiling ? ceiling : v; }`);
  lines.push('  }');
  return lines;
}

function source(rows: number, family: string, finish: Finish): string {
  const lines: string[] = [`// ${family} ${rows}x${NR}`, 'const tile = new Float64Array(' + MR * NR + ');', 'return function microkernel(K, A, aOff, aRow, aStep, B, bOff, C, cOff, ldc, cols, alpha, accumulate, bias, biasOff, lo, hi) {'];
  for (let r = 0; r < rows; r++) lines.push(`  let ${Array.from({ length: NR }, (_, c) => `c${r}_${c} = 0`).join(', ')};`);
  for (let r = 1; r < rows; r++) lines.push(`  const r${r} = ${r} * aRow;`);
  lines.push('  let ai = aOff, bi = bOff;', '  for (let p = 0; p < K; p++) {');
  for (let r = 0; r < rows; r++) lines.push(`    const a${r} = A[ai${r === 0 ? '' : ` + r${r}`}];`);
  for (let c = 0; c < NR; c++) lines.push(`    const b${c} = B[bi + ${c}];`);
  for (let r = 0; r < rows; r++) lines.push('    ' + Array.from({ length: NR }, (_, c) => `c${r}_${c} += a${r} * b${c};`).join(' '));
  lines.push(`    ai += aStep; bi += ${NR};`, '  }');
  lines.push(...(finish === 'store' ? storeSums(rows) : finishSums(rows)));
  lines.push('};');
  return lines.join('\n');
}

const families = new Map<string, Microkernel[]>();

/**
 * The microkernels for one family: index r-1 computes r rows. Families are independent copies of
 * the code; name one per combination of array types the caller passes (and per finish).
 */
export function microkernels(family: string, finish: Finish = 'full'): Microkernel[] {
  const key = `${family} (${finish})`;
  let ks = families.get(key);
  if (!ks) {
    ks = Array.from({ length: MR }, (_, r) => new Function(source(r + 1, family, finish))() as Microkernel);
    families.set(key, ks);
  }
  return ks;
}

/**
 * GEMMs with a constant B split across the pool, by rows of C or by column panels, whichever is
 * more even. Each element is summed whole by one thread, so results match a single thread bit for bit.
 */
import type { Epilogue } from '../gemm/gemm.js';
import { MR, NR, OutputArray } from '../gemm/microkernel.js';
import type { Strided, StridedGemm } from '../gemm/strided-gemm.js';
import { activePool } from './active.js';
import type { GemmBlock, GemmTaskMessage, NumericView } from './messages.js';
import { isShared, sharedCopy } from './shared.js';
import { evenRanges, imbalance, partCount } from './split.js';
import { MIN_SPLIT_MACS } from './conv-split.js';

/** C = epilogue(A·B) across the active pool; false (nothing done) when there is none, B is not fixed, or the work is too small. */
export function runGemmSplit(gemm: StridedGemm, a: Strided, C: OutputArray, cOff: number, ldc: number, ep: Epilogue): boolean {
  const pool = activePool();
  const { M, N, K } = gemm;
  if (!pool || pool.size < 2 || !gemm.fixedB || M * N * K < MIN_SPLIT_MACS) return false;
  // A per-row zero point (integer GEMMs) is indexed from row 0; keep those whole.
  if (typeof a.shift === 'object' || !ArrayBuffer.isView(a.data)) return false;
  const blocks = gemmBlocks(M, N, pool.size);
  if (blocks.length < 2) return false;
  const task = pool.taskId(gemm, (id) => gemmTask(id, gemm));
  const as = { data: pool.staging.input('gemm-a', a.data as NumericView), offset: a.offset, rowStride: a.rowStride, colStride: a.colStride, shift: a.shift };
  const Cs = isShared(C) ? C : pool.staging.view('gemm-c', C, ep.accumulate);
  const packedB = gemm.fixedB;
  pool.dispatch(
    (h) => ({ type: 'gemm', ...h, task, a: as, C: Cs, cOff, ldc, ep, blocks }),
    blocks.length,
    (i) => gemm.runBlock(as, packedB, Cs, cOff, ldc, ep, blocks[i].rows[0], blocks[i].rows[1], blocks[i].cols[0], blocks[i].cols[1]),
  );
  if (Cs !== C) C.set(Cs);
  return true;
}

function gemmTask(id: number, gemm: StridedGemm): GemmTaskMessage {
  let packedB = gemm.fixedB!;
  if (!isShared(packedB)) {
    packedB = sharedCopy(packedB);
    gemm.adoptFixedB(packedB);
  }
  return { type: 'gemm-task', id, M: gemm.M, N: gemm.N, K: gemm.K, panels: gemm.panels === Float64Array ? 'Float64Array' : 'Float32Array', family: gemm.family, packedB };
}

/**
 * A few blocks per thread: row panels of C, or column panels when they spread more evenly (rows on
 * a tie: a row block packs only its rows of A, a column block all of them, so those stay 2 panels wide or more).
 */
export function gemmBlocks(M: number, N: number, threads: number): GemmBlock[] {
  const rows = Math.ceil(M / MR);
  const cols = Math.ceil(N / NR);
  if (imbalance(rows, threads) <= imbalance(cols, threads)) return evenRanges(M, partCount(rows, threads, 1), MR).map((r) => ({ rows: r, cols: [0, N] }));
  return evenRanges(N, partCount(cols, threads, 2), NR).map((c) => ({ rows: [0, M], cols: c }));
}

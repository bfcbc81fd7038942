/**
 * Winograd convolutions split across the pool, by output tiles when there are panels of them to go
 * round (two per thread with tiles as GEMM rows), else by output channels, one part per thread: every channel part
 * transforms all tiles' inputs again (ResNet-18's layer 4 scaled 1.46× on two threads with 8 parts,
 * 1.7× with 2). Each part transforms its inputs, runs the tile-position GEMMs and transforms its
 * outputs, so every output element is computed whole by one thread, exactly as on one thread.
 */
import { MR, NR } from '../gemm/microkernel.js';
import type { WinogradConv, WinogradPart } from '../conv/winograd.js';
import { activePool } from './active.js';
import { MIN_SPLIT_MACS, numericsMessage } from './conv-split.js';
import type { NumericView, WinogradTaskMessage } from './messages.js';
import { isShared, sharedCopy } from './shared.js';
import { evenRanges, partCount } from './split.js';

/** Computes the convolution across the active pool; false (nothing done) when there is none or the work is too small. */
export function runWinogradSplit(conv: WinogradConv, x: ArrayLike<number>, bias: Float64Array, y: Float32Array): boolean {
  const pool = activePool();
  if (!pool || pool.size < 2) return false;
  const { inChannels, outChannels } = conv.shape;
  if (conv.tiles * conv.variant.tile ** 2 * inChannels * outChannels < MIN_SPLIT_MACS) return false;
  const parts = winogradParts(conv, pool.size);
  if (parts.length < 2) return false;
  const task = pool.taskId(conv, (id) => winogradTask(id, conv));
  const xs = pool.staging.input('conv-x', x as NumericView);
  const ys = isShared(y) ? y : pool.staging.view('conv-y', y, false);
  pool.dispatch((h) => ({ type: 'winograd', ...h, task, x: xs, bias, y: ys, parts }), parts.length, (i) => conv.runPart(xs, bias, ys, parts[i]));
  if (ys !== y) y.set(ys);
  return true;
}

export function winogradParts(conv: WinogradConv, threads: number): WinogradPart[] {
  const { tiles, M } = conv;
  // Tiles are GEMM columns in panels of NR, or (transposed) rows in blocks of MR.
  const tileBlock = conv.transposed ? MR : NR;
  const tileBlocks = Math.ceil(tiles / tileBlock);
  // With tiles as rows, a couple of tile blocks split badly (9 tiles: 6 and 3); each channel part keeps every row.
  const byTiles = tileBlocks >= (conv.transposed ? 2 * threads : threads);
  if (byTiles) return evenRanges(tiles, partCount(tileBlocks, threads, 1), tileBlock).map(([t0, t1]) => ({ t0, t1, m0: 0, m1: M }));
  return evenRanges(M, Math.min(threads, Math.ceil(M / NR)), NR).map(([m0, m1]) => ({ t0: 0, t1: tiles, m0, m1 }));
}

function winogradTask(id: number, conv: WinogradConv): WinogradTaskMessage {
  const packedU = isShared(conv.packedU) ? conv.packedU : sharedCopy(conv.packedU);
  return { type: 'winograd-task', id, shape: conv.shape, ...numericsMessage(conv.numerics), variant: conv.variant.name, transposed: conv.transposed, packedU };
}

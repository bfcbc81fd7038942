/**
 * Winograd convolutions split across the pool by output tiles: each part transforms its tiles'
 * inputs, runs the tile-position GEMMs on them and transforms their outputs, so every output element
 * is computed whole by one thread, exactly as on one thread.
 */
import { NR } from '../gemm/microkernel.js';
import type { WinogradConv } from '../conv/winograd.js';
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
  const ranges = evenRanges(conv.tiles, partCount(Math.ceil(conv.tiles / NR), pool.size, 1), NR);
  if (ranges.length < 2) return false;
  const task = pool.taskId(conv, (id) => winogradTask(id, conv));
  const xs = pool.staging.input('conv-x', x as NumericView);
  const ys = isShared(y) ? y : pool.staging.view('conv-y', y, false);
  pool.dispatch((h) => ({ type: 'winograd', ...h, task, x: xs, bias, y: ys, ranges }), ranges.length, (i) => runTileRange(conv, xs, bias, ys, ranges[i]));
  if (ys !== y) y.set(ys);
  return true;
}

/** Output tiles [t0, t1), in the conv's chunks. */
export function runTileRange(conv: WinogradConv, x: ArrayLike<number>, bias: Float64Array, y: Float32Array, [t0, t1]: [number, number]): void {
  for (let t = t0; t < t1; t += conv.chunk) conv.runTiles(x, bias, y, t, Math.min(t1, t + conv.chunk));
}

function winogradTask(id: number, conv: WinogradConv): WinogradTaskMessage {
  const packedU = isShared(conv.packedU) ? conv.packedU : sharedCopy(conv.packedU);
  return { type: 'winograd-task', id, shape: conv.shape, ...numericsMessage(conv.numerics), out: conv.variant.out, packedU };
}

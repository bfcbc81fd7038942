/**
 * Convolutions split across the pool. Each output element is still computed whole by one thread,
 * with the same packing and summation order, so results are bit-identical to a single thread.
 */
import type { ConvGemm, ConvNumerics, ConvPart } from '../conv/conv-gemm.js';
import { MR, NR, OutputArray } from '../gemm/microkernel.js';
import { activePool } from './active.js';
import type { ConvTaskMessage, NumericsMessage, NumericView } from './messages.js';
import { isShared, sharedCopy } from './shared.js';
import { evenRanges, imbalance, partCount } from './split.js';

/** Below this many multiply-adds a convolution stays on the calling thread: handing out parts would cost about what it saves. */
export const MIN_SPLIT_MACS = 1 << 20;

/** Computes the convolution across the active pool; false (nothing done) when there is none or the work is too small. */
export function runConvSplit(conv: ConvGemm, x: ArrayLike<number>, xShift: number, bias: Float64Array, y: OutputArray): boolean {
  const pool = activePool();
  if (!pool || pool.size < 2 || !conv.constantWeights) return false;
  const planes = conv.shape.batch * conv.shape.group;
  if (planes * conv.Mg * conv.K * conv.outVolume < MIN_SPLIT_MACS) return false;
  const parts = convParts(planes, conv.Mg, conv.outVolume, pool.size);
  if (parts.length < 2) return false;
  const task = pool.taskId(conv, (id) => convTask(id, conv));
  const xs = pool.staging.input('conv-x', x as NumericView);
  const ys = isShared(y) ? y : pool.staging.view('conv-y', y, false);
  const weights = conv.constantWeights;
  pool.dispatch((h) => ({ type: 'conv', ...h, task, x: xs, xShift, bias, y: ys, parts }), parts.length, (i) => conv.runPart(xs, xShift, weights, bias, ys, parts[i]));
  if (ys !== y) y.set(ys);
  return true;
}

/** Tells workers about the convolution, moving its packed weights into shared memory first. */
function convTask(id: number, conv: ConvGemm): ConvTaskMessage {
  let weights = conv.constantWeights!;
  if (!isShared(weights)) {
    weights = sharedCopy(weights);
    conv.adoptConstantWeights(weights);
  }
  return { type: 'conv-task', id, shape: conv.shape, ...numericsMessage(conv.numerics), weights };
}

export function numericsMessage({ panels, family, lo, hi }: ConvNumerics): NumericsMessage {
  return { panels: panels === Float64Array ? 'Float64Array' : 'Float32Array', family, lo, hi };
}

/**
 * Position panels per thread from which a convolution splits by output positions whatever the
 * balance of a channel split: every part of a channel split builds all the patches again (ResNet-18's
 * stride-2 3×3 convs on 14×14 ran 1.3× faster on two threads split by channels, 1.7× by positions).
 */
const POSITION_PANELS_PER_THREAD = 3;

/**
 * A few parts per thread: whole images×groups when they divide evenly or are plenty (batches,
 * depthwise), else output positions when there are panels of them to go round, else output
 * positions or output channels, whichever spreads the microkernel tiles more evenly (positions on
 * a tie). Channel-split parts are kept to 8 row panels or more.
 */
export function convParts(planes: number, Mg: number, positions: number, threads: number): ConvPart[] {
  const all: ConvPart = { p0: 0, p1: planes, m0: 0, m1: Mg, j0: 0, j1: positions };
  if (planes % threads === 0 || planes >= 4 * threads) return evenRanges(planes, partCount(planes, threads, 1), 1).map(([p0, p1]) => ({ ...all, p0, p1 }));
  const cols = Math.ceil(positions / NR);
  const rows = Math.ceil(Mg / MR);
  if (cols >= POSITION_PANELS_PER_THREAD * threads || imbalance(cols, threads) <= imbalance(rows, threads)) {
    return evenRanges(positions, partCount(cols, threads, 1), NR).map(([j0, j1]) => ({ ...all, j0, j1 }));
  }
  return evenRanges(Mg, partCount(rows, threads, 8), MR).map(([m0, m1]) => ({ ...all, m0, m1 }));
}

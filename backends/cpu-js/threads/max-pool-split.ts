/**
 * MaxPool split across the pool by planes (images × channels): each output element is the same
 * maximum whichever thread takes its plane.
 */
import { MaxPoolPlanes, maxPoolPlanes, PoolOutput } from '../pool/max-pool-planes.js';
import { activePool } from './active.js';
import type { NumericView } from './messages.js';
import { isShared } from './shared.js';
import { evenRanges, partCount } from './split.js';

/** Below this many output elements a MaxPool stays on the calling thread. */
const MIN_SPLIT_OUTPUTS = 1 << 16;

/** Computes every plane across the active pool; false (nothing done) when there is none or the work is too small. */
export function runMaxPoolSplit(geometry: MaxPoolPlanes, X: NumericView, Y: PoolOutput, planes: number): boolean {
  const pool = activePool();
  if (!pool || pool.size < 2 || planes * geometry.th.start.length * geometry.tw.start.length < MIN_SPLIT_OUTPUTS) return false;
  const ranges = evenRanges(planes, partCount(planes, pool.size, 1), 1);
  if (ranges.length < 2) return false;
  const task = pool.taskId(geometry, (id) => ({ type: 'max-pool-task', id, geometry }));
  const xs = pool.staging.input('pool-x', X);
  const ys = isShared(Y) ? Y : pool.staging.view('pool-y', Y, false);
  pool.dispatch((h) => ({ type: 'max-pool', ...h, task, x: xs, y: ys, ranges }), ranges.length, (i) => maxPoolPlanes(geometry, xs, ys, ranges[i][0], ranges[i][1]));
  if (ys !== Y) Y.set(ys);
  return true;
}

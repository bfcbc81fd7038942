/** Cutting a range of work into parts that threads claim. */

/** Parts per thread: enough that a thread the OS leaves waiting costs little, few enough that each stays large. */
const PARTS_PER_THREAD = 4;

/** [start, end) ranges covering [0, n) in whole units of `align` (the last may be shorter), as even as possible; empty ones left out. */
export function evenRanges(n: number, parts: number, align: number): [number, number][] {
  const units = Math.ceil(n / align);
  const ranges: [number, number][] = [];
  for (let t = 0; t < parts; t++) {
    const start = Math.min(n, Math.round((units * t) / parts) * align);
    const end = Math.min(n, Math.round((units * (t + 1)) / parts) * align);
    if (end > start) ranges.push([start, end]);
  }
  return ranges;
}

/** How much longer the busiest of `parts` threads works than a perfect split of `units` would take (1 = even). */
export function imbalance(units: number, parts: number): number {
  return (Math.ceil(units / parts) * parts) / units;
}

/** How many parts to cut `units` into for `threads` threads, each part at least `minUnits` long unless that leaves fewer parts than threads. */
export function partCount(units: number, threads: number, minUnits: number): number {
  return Math.max(Math.min(threads, units), Math.min(PARTS_PER_THREAD * threads, Math.floor(units / minUnits)));
}

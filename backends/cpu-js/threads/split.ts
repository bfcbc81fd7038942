/** Cutting a range of work into one share per thread. */

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

/** Mean and variance of contiguous runs, in doubles, two-pass (no cancellation from E[x²] − E[x]²). */

export interface Moments {
  mean: number;
  variance: number;
}

/** Population moments of x[off .. off+len); `into` is reused to avoid allocating per run. */
export function moments(x: ArrayLike<number>, off: number, len: number, into: Moments): Moments {
  let sum = 0;
  for (let i = off, end = off + len; i < end; i++) sum += x[i];
  const mean = sum / len;
  let sq = 0;
  for (let i = off, end = off + len; i < end; i++) {
    const d = x[i] - mean;
    sq += d * d;
  }
  into.mean = mean;
  into.variance = sq / len;
  return into;
}

/**
 * A pruning mask: one bit per element of a weight, 1 = keep, 0 = must be zero. Masks are the
 * decision; applying one zeroes the dropped elements. Packed LSB-first, eight elements a byte.
 */
export interface Mask {
  readonly size: number;
  readonly bits: Uint8Array;
}

/** A mask together with the weight it belongs to (as a masks file stores it). */
export interface WeightMask {
  tensor: string;
  dims: readonly number[];
  mask: Mask;
}

/** A mask that keeps everything. */
export function keepAll(size: number): Mask {
  const bits = new Uint8Array(Math.ceil(size / 8)).fill(0xff);
  const tail = size % 8;
  if (tail) bits[bits.length - 1] = (1 << tail) - 1;
  return { size, bits };
}

export function isKept(mask: Mask, i: number): boolean {
  return ((mask.bits[i >> 3] >> (i & 7)) & 1) === 1;
}

/** Elements the mask drops. */
export function droppedCount(mask: Mask): number {
  let kept = 0;
  for (let b = 0; b < mask.bits.length; b++) kept += POPCOUNT[mask.bits[b]];
  return mask.size - kept;
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let x = b; x; x >>= 1) n += x & 1;
  return n;
});

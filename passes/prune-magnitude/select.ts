/**
 * Exact k-smallest selection over the scores of one or many weights, without sorting and without
 * a copy of the weights: scores are non-negative float32, whose bit patterns order like the
 * numbers, so a two-level radix histogram (high 16 bits, then low 16 bits within one bucket)
 * finds the k-th smallest score in three streaming passes over the data. Ties at the cut are
 * broken by position: weights in the given order, elements by index.
 */
import type { Criterion } from './criterion.js';
import type { WeightElements } from './elements.js';
import { keepAll, Mask } from './mask.js';

const CHUNK = 1 << 16;

/** Elements whose key is below `key` are pruned, and the first `atKey` elements whose key equals it. */
export interface Cut {
  key: number;
  atKey: number;
}

const NOTHING: Cut = { key: 0, atKey: 0 };

/** Where to cut so that exactly `k` of the elements (all weights together) are pruned. */
export function selectCut(weights: readonly WeightElements[], criterion: Criterion, k: number): Cut {
  const total = weights.reduce((n, w) => n + w.size, 0);
  if (k <= 0) return NOTHING;
  if (k >= total) return { key: 2 ** 32, atKey: 0 };
  const high = new Float64Array(1 << 16);
  forEachKey(weights, criterion, (keys, count) => {
    for (let i = 0; i < count; i++) high[keys[i] >>> 16]++;
  });
  const [hb, belowHigh] = bucketOf(high, k);
  const low = new Float64Array(1 << 16);
  forEachKey(weights, criterion, (keys, count) => {
    for (let i = 0; i < count; i++) if (keys[i] >>> 16 === hb) low[keys[i] & 0xffff]++;
  });
  const [lb, belowLow] = bucketOf(low, k - belowHigh);
  return { key: hb * 65536 + lb, atKey: k - belowHigh - belowLow };
}

/** One mask per weight, dropping what the cut selects. */
export function masksForCut(weights: readonly WeightElements[], criterion: Criterion, cut: Cut): Mask[] {
  const masks = weights.map((w) => keepAll(w.size));
  const cutKey = cut.key;
  let atKey = cut.atKey;
  forEachKey(weights, criterion, (keys, count, w, start) => {
    const bits = masks[w].bits;
    // Chunks start at multiples of 8, so each chunk fills whole mask bytes (the last one maybe partly).
    let remaining = atKey;
    for (let i = 0; i < count; i += 8) {
      let byte = 0;
      const end = Math.min(8, count - i);
      for (let b = 0; b < end; b++) {
        const key = keys[i + b];
        let keep = key > cutKey;
        if (key === cutKey) keep = remaining-- <= 0;
        if (keep) byte |= 1 << b;
      }
      bits[(start + i) >> 3] = byte;
    }
    atKey = Math.max(remaining, 0);
  });
  return masks;
}

/** The score a cut's key stands for (the pruning threshold), or null when the cut prunes nothing. */
export function cutScore(cut: Cut): number | null {
  if (cut.key === 0 && cut.atKey === 0) return null;
  if (cut.key >= 2 ** 32) return Infinity;
  return new Float32Array(new Uint32Array([cut.key]).buffer)[0];
}

/** The bucket that holds the k-th smallest element (1-based), and how many elements lie in lower buckets. */
function bucketOf(histogram: Float64Array, k: number): [number, number] {
  let below = 0;
  for (let b = 0; b < histogram.length; b++) {
    if (below + histogram[b] >= k) return [b, below];
    below += histogram[b];
  }
  throw new Error(`selection asked for element ${k} of ${below}`);
}

/**
 * Visit the sort keys of every element in order, a chunk at a time. A key is the score's float32
 * bits with the sign cleared; an element that is exactly zero keys 0 and any other element keys at
 * least 1, so that zeros are always pruned first even when a tiny score rounds to 0.
 */
function forEachKey(weights: readonly WeightElements[], criterion: Criterion, visit: (keys: Uint32Array, count: number, weight: number, start: number) => void): void {
  const values = new Float32Array(CHUNK);
  const scores = new Float32Array(CHUNK);
  const keys = new Uint32Array(scores.buffer);
  for (let index = 0; index < weights.length; index++) {
    const w = weights[index];
    for (let start = 0; start < w.size; start += CHUNK) {
      const count = Math.min(CHUNK, w.size - start);
      criterion(w.read(start, count, values), scores, count);
      scoresToKeys(keys, count, w, start);
      visit(keys, count, index, start);
    }
  }
}

function scoresToKeys(keys: Uint32Array, count: number, w: WeightElements, start: number): void {
  for (let i = 0; i < count; i++) {
    const key = keys[i] & 0x7fffffff;
    if (key === 0) keys[i] = w.isZero(start + i) ? 0 : 1;
    else keys[i] = key;
  }
}

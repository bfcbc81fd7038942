/**
 * Exact k-smallest selection over the scores of one or many weights, without sorting and without
 * a copy of the weights: scores are non-negative float32, whose bit patterns order like the
 * numbers, so a radix histogram of the high 16 bits finds the bucket that holds the k-th smallest
 * score, and the low 16 bits of that bucket's elements find the score itself. Two streaming passes:
 * a histogram, then the masks, remembering the bucket's elements to settle at the end (a third pass
 * replaces that memory when the bucket is huge, as when all weights are equal). Ties at the cut are
 * broken by position: weights in the given order, elements by index.
 */
import type { Criterion } from './criterion.js';
import type { WeightElements } from './elements.js';
import { keepAll, Mask } from './mask.js';

const CHUNK = 1 << 16;
/** Most bucket elements remembered (10 bytes each) before falling back to a third pass. */
const BUCKET_LIMIT = 1 << 22;

export interface Selection {
  /** One mask per weight; exactly k elements dropped over all of them. */
  masks: Mask[];
  /** The score at the cut (lower scores are dropped), null when nothing is dropped. */
  threshold: number | null;
}

/** Masks that drop the `k` lowest-scoring elements of the weights together. */
export function selectSmallest(weights: readonly WeightElements[], criterion: Criterion, k: number): Selection {
  const masks = weights.map((w) => keepAll(w.size));
  const total = weights.reduce((n, w) => n + w.size, 0);
  if (k <= 0 || total === 0) return { masks, threshold: null };
  const high = new Float64Array(1 << 16);
  forEachKey(weights, criterion, (keys, count) => {
    for (let i = 0; i < count; i++) high[keys[i] >>> 16]++;
  });
  const [hb, belowHigh] = bucketOf(high, Math.min(k, total));
  const want = Math.min(k, total) - belowHigh;
  const inBucket = high[hb];
  const cut = inBucket <= BUCKET_LIMIT ? settleRemembered(weights, criterion, masks, hb, inBucket, want) : settleByRescan(weights, criterion, masks, hb, want);
  return { masks, threshold: new Float32Array(new Uint32Array([cut]).buffer)[0] };
}

/**
 * Drop every element below bucket `hb` while remembering the bucket's elements in order, then drop
 * the `want` lowest of those. Returns the key at the cut.
 */
function settleRemembered(weights: readonly WeightElements[], criterion: Criterion, masks: Mask[], hb: number, inBucket: number, want: number): number {
  const bucketWeight = new Uint32Array(inBucket);
  const bucketIndex = new Uint32Array(inBucket);
  const bucketLow = new Uint16Array(inBucket);
  let n = 0;
  forEachKey(weights, criterion, (keys, count, w, start) => {
    const bits = masks[w].bits;
    // Chunks start at multiples of 8, so each chunk fills whole mask bytes (the last one maybe partly).
    for (let i = 0; i < count; i += 8) {
      let byte = 0;
      const end = Math.min(8, count - i);
      for (let b = 0; b < end; b++) {
        const key = keys[i + b];
        const h = key >>> 16;
        if (h < hb) continue;
        byte |= 1 << b;
        if (h === hb) {
          bucketWeight[n] = w;
          bucketIndex[n] = start + i + b;
          bucketLow[n++] = key & 0xffff;
        }
      }
      bits[(start + i) >> 3] = byte;
    }
  });
  const low = new Float64Array(1 << 16);
  for (let j = 0; j < n; j++) low[bucketLow[j]]++;
  const [lb, below] = bucketOf(low, want);
  let atCut = want - below;
  for (let j = 0; j < n; j++) {
    const l = bucketLow[j];
    if (l < lb || (l === lb && atCut-- > 0)) {
      const i = bucketIndex[j];
      masks[bucketWeight[j]].bits[i >> 3] &= ~(1 << (i & 7));
    }
  }
  return hb * 65536 + lb;
}

/** The same result without remembering the bucket: one pass for its low-bits histogram, one for the masks. */
function settleByRescan(weights: readonly WeightElements[], criterion: Criterion, masks: Mask[], hb: number, want: number): number {
  const low = new Float64Array(1 << 16);
  forEachKey(weights, criterion, (keys, count) => {
    for (let i = 0; i < count; i++) if (keys[i] >>> 16 === hb) low[keys[i] & 0xffff]++;
  });
  const [lb, below] = bucketOf(low, want);
  const cutKey = hb * 65536 + lb;
  let atCut = want - below;
  forEachKey(weights, criterion, (keys, count, w, start) => {
    const bits = masks[w].bits;
    for (let i = 0; i < count; i += 8) {
      let byte = 0;
      const end = Math.min(8, count - i);
      for (let b = 0; b < end; b++) {
        const key = keys[i + b];
        if (key > cutKey || (key === cutKey && atCut-- <= 0)) byte |= 1 << b;
      }
      bits[(start + i) >> 3] = byte;
    }
  });
  return cutKey;
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

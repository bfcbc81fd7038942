/**
 * Importance criteria for single weights. A criterion is one function: it turns a chunk of
 * effective weight values into non-negative scores, larger meaning more important; the lowest
 * scores are pruned. For single elements l1 (|w|) and l2 (w²) rank alike; they differ once
 * scores are summed over groups (channels, blocks), which is where new criteria plug in.
 */
export type Criterion = (values: Float32Array, scores: Float32Array, count: number) => void;

export const CRITERIA: Readonly<Record<string, Criterion>> = {
  l1(values, scores, count) {
    for (let i = 0; i < count; i++) scores[i] = Math.abs(values[i]);
  },
  l2(values, scores, count) {
    for (let i = 0; i < count; i++) scores[i] = values[i] * values[i];
  },
};

export const CRITERION_NAMES = Object.keys(CRITERIA);

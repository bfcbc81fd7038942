/**
 * The decision step of magnitude pruning: which elements to drop. `global` ranks all chosen
 * weights together (one threshold); `layer` prunes the same fraction of each weight. Already-zero
 * elements score lowest and count toward the target, so a weight pruned before is not pruned
 * again past its target.
 */
import type { Criterion } from './criterion.js';
import type { Mask } from './mask.js';
import type { PrunableWeight } from './prunable.js';
import { selectSmallest } from './select.js';

export type Scope = 'global' | 'layer';

export interface Decision {
  weight: PrunableWeight;
  mask: Mask;
  /** The score at the cut (elements scoring below it are dropped), null when nothing is dropped. */
  threshold: number | null;
}

/** Elements to drop from `size` at `sparsity`: the nearest whole number, so the result is within half an element. */
export function targetCount(size: number, sparsity: number): number {
  return Math.round(size * sparsity);
}

export function decideMagnitude(weights: readonly PrunableWeight[], sparsity: number, scope: Scope, criterion: Criterion): Decision[] {
  if (scope === 'layer') {
    return weights.map((weight) => {
      const { masks, threshold } = selectSmallest([weight.elements()], criterion, targetCount(weight.tensor.size, sparsity));
      return { weight, mask: masks[0], threshold };
    });
  }
  const total = weights.reduce((n, w) => n + w.tensor.size, 0);
  const { masks, threshold } = selectSmallest(
    weights.map((w) => w.elements()),
    criterion,
    targetCount(total, sparsity),
  );
  return weights.map((weight, i) => ({ weight, mask: masks[i], threshold }));
}

/**
 * The decision step of magnitude pruning: which elements to drop. `global` ranks all chosen
 * weights together (one threshold); `layer` prunes the same fraction of each weight. Already-zero
 * elements score lowest and count toward the target, so a weight pruned before is not pruned
 * again past its target.
 */
import type { Criterion } from './criterion.js';
import type { Mask } from './mask.js';
import type { PrunableWeight } from './prunable.js';
import { cutScore, masksForCut, selectCut } from './select.js';

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
      const elements = [weight.elements()];
      const cut = selectCut(elements, criterion, targetCount(weight.tensor.size, sparsity));
      return { weight, mask: masksForCut(elements, criterion, cut)[0], threshold: cutScore(cut) };
    });
  }
  const elements = weights.map((w) => w.elements());
  const total = weights.reduce((n, w) => n + w.tensor.size, 0);
  const cut = selectCut(elements, criterion, targetCount(total, sparsity));
  const masks = masksForCut(elements, criterion, cut);
  const threshold = cutScore(cut);
  return weights.map((weight, i) => ({ weight, mask: masks[i], threshold }));
}

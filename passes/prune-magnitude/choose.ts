/**
 * Which prunable weights a run prunes: `include` / `exclude` glob patterns on the weight's name or
 * any consumer node's name, a minimum size, and optionally not the first and last layer.
 */
import { quoted } from '../../src/error.js';
import { globToRegExp } from './glob.js';
import type { PrunableWeight } from './prunable.js';

export interface ChooseOptions {
  include: readonly string[];
  exclude: readonly string[];
  minParams: number;
  skipFirstLast: boolean;
}

export interface Choice {
  chosen: PrunableWeight[];
  skipped: { weight: PrunableWeight; reason: string }[];
  /** Warnings for the user: patterns that matched nothing, with the names they could match. */
  warnings: string[];
}

const LISTED_CANDIDATES = 12;

export function chooseWeights(weights: readonly PrunableWeight[], options: ChooseOptions): Choice {
  const names = (w: PrunableWeight): string[] => [w.name, ...w.consumers.map((n) => n.name).filter((n) => n)];
  const matcher = (patterns: readonly string[], kind: string, warnings: string[]) =>
    patterns.map((pattern) => {
      const re = globToRegExp(pattern);
      const hits = new Set(weights.filter((w) => names(w).some((n) => re.test(n))));
      if (hits.size === 0) warnings.push(`${kind} pattern ${quoted(pattern)} matches no prunable weight or node; candidates: ${candidates(weights, names)}`);
      return hits;
    });
  const warnings: string[] = [];
  const includes = matcher(options.include, 'include', warnings);
  const excludes = matcher(options.exclude, 'exclude', warnings);
  const first = weights[0];
  const last = weights[weights.length - 1];
  const skipReason = (w: PrunableWeight): string | null => {
    if (includes.length && !includes.some((hits) => hits.has(w))) return 'not included';
    if (excludes.some((hits) => hits.has(w))) return 'excluded';
    if (options.skipFirstLast && w === first) return 'first layer';
    if (options.skipFirstLast && w === last) return 'last layer';
    if (w.tensor.size < options.minParams) return `fewer than ${options.minParams} elements`;
    return null;
  };
  const chosen: PrunableWeight[] = [];
  const skipped: Choice['skipped'] = [];
  for (const w of weights) {
    const reason = skipReason(w);
    if (reason) skipped.push({ weight: w, reason });
    else chosen.push(w);
  }
  return { chosen, skipped, warnings };
}

function candidates(weights: readonly PrunableWeight[], names: (w: PrunableWeight) => string[]): string {
  if (weights.length === 0) return 'none (the model has no prunable weights)';
  const list = weights.slice(0, LISTED_CANDIDATES).map((w) => names(w).map((n) => quoted(n, 60)).join(' / '));
  const more = weights.length - LISTED_CANDIDATES;
  return list.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

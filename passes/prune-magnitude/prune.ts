/**
 * Magnitude pruning as a function: find the prunable weights, choose the ones to prune, decide
 * masks (or take given ones), apply them, and report per weight what happened.
 */
import { quoted, ShearsError } from '../../src/error.js';
import type { Model } from '../../src/ir/model.js';
import { chooseWeights } from './choose.js';
import { CRITERIA, CRITERION_NAMES } from './criterion.js';
import { Decision, decideMagnitude, Scope } from './decide.js';
import type { WeightMask } from './mask.js';
import { findPrunableWeights, PrunableWeight } from './prunable.js';

export interface PruneOptions {
  /** Fraction of the chosen weights' elements to make zero, in [0, 1). */
  sparsity: number;
  scope: Scope;
  criterion: string;
  include: readonly string[];
  exclude: readonly string[];
  minParams: number;
  skipFirstLast: boolean;
  /** Apply these masks instead of deciding by magnitude. */
  masks?: readonly WeightMask[];
}

export interface LayerReport {
  name: string;
  shape: number[];
  params: number;
  zerosBefore: number;
  zerosAfter: number;
  /** Score at the cut; null when nothing was dropped or the mask came from a file. */
  threshold: number | null;
  consumers: string[];
}

export interface PruneReport {
  layers: LayerReport[];
  skipped: { name: string; reason: string }[];
  /** Things the user should know: patterns that matched nothing, a model with nothing to prune. */
  warnings: string[];
  /** The masks applied, one per pruned weight, in `layers` order. */
  masks: WeightMask[];
  /** Elements newly set to zero. */
  zeroed: number;
}

export const PRUNE_DEFAULTS: PruneOptions = {
  sparsity: 0.5,
  scope: 'layer',
  criterion: 'l1',
  include: [],
  exclude: [],
  minParams: 1024,
  skipFirstLast: false,
};

export function pruneMagnitude(model: Model, options: PruneOptions): PruneReport {
  checkOptions(options);
  const { weights, weightOps } = findPrunableWeights(model);
  if (weights.length === 0) {
    const why = weightOps ? `its ${weightOps} Conv/ConvTranspose/Gemm/MatMul nodes have no constant weight operand` : 'it has no Conv, ConvTranspose, Gemm or MatMul node';
    return { layers: [], skipped: [], warnings: [`nothing to prune: ${why}`], masks: [], zeroed: 0 };
  }
  if (options.masks) return applyDecisions(decisionsFromMasks(weights, options.masks), [], []);
  const choice = chooseWeights(weights, options);
  const decisions = decideMagnitude(choice.chosen, options.sparsity, options.scope, CRITERIA[options.criterion]);
  const skipped = choice.skipped.map((s) => ({ name: s.weight.name, reason: s.reason }));
  return applyDecisions(decisions, skipped, choice.warnings);
}

function checkOptions(options: PruneOptions): void {
  const s = options.sparsity;
  if (!(s >= 0 && s < 1)) {
    throw new ShearsError('E_PIPELINE', `sparsity must be at least 0 and below 1 (a fraction of the weights to zero), got ${s}`);
  }
  if (!CRITERIA[options.criterion]) {
    throw new ShearsError('E_PIPELINE', `unknown pruning criterion ${quoted(options.criterion)}; criteria: ${CRITERION_NAMES.join(', ')}`);
  }
  if (!(Number.isSafeInteger(options.minParams) && options.minParams >= 0)) {
    throw new ShearsError('E_PIPELINE', `min-params must be a whole number of elements, got ${options.minParams}`);
  }
}

function decisionsFromMasks(weights: readonly PrunableWeight[], masks: readonly WeightMask[]): Decision[] {
  const byName = new Map(weights.map((w) => [w.name, w]));
  return masks.map((m) => {
    const weight = byName.get(m.tensor);
    if (!weight) {
      const names = weights.slice(0, 12).map((w) => quoted(w.name, 60));
      const more = weights.length > 12 ? ` and ${weights.length - 12} more` : '';
      throw new ShearsError('E_PIPELINE', `mask for ${quoted(m.tensor)} names no prunable weight of this model; prunable: ${names.join(', ')}${more}`, { tensor: m.tensor });
    }
    const dims = weight.tensor.dims;
    if (m.dims.length !== dims.length || m.dims.some((d, i) => d !== dims[i])) {
      throw new ShearsError('E_SHAPE', `mask for ${quoted(m.tensor)} has shape [${m.dims.join(',')}], but the weight has shape [${dims.join(',')}]`, { tensor: m.tensor });
    }
    return { weight, mask: m.mask, threshold: null };
  });
}

function applyDecisions(decisions: readonly Decision[], skipped: PruneReport['skipped'], warnings: string[]): PruneReport {
  const layers: LayerReport[] = [];
  let zeroed = 0;
  for (const { weight, mask, threshold } of decisions) {
    const { zerosBefore, zeroed: newly } = weight.elements().applyMask(mask);
    // The data was changed in place; from now on the tensor holds it, not the file it came from.
    if (newly > 0) weight.tensor.setData(weight.tensor.data);
    zeroed += newly;
    layers.push({
      name: weight.name,
      shape: [...weight.tensor.dims],
      params: weight.tensor.size,
      zerosBefore,
      zerosAfter: zerosBefore + newly,
      threshold,
      consumers: weight.consumers.map((n) => n.name),
    });
  }
  const masks = decisions.map((d) => ({ tensor: d.weight.name, dims: [...d.weight.tensor.dims], mask: d.mask }));
  return { layers, skipped, warnings, masks, zeroed };
}

/**
 * prune-magnitude — zero the weights of smallest magnitude (unstructured pruning).
 *
 *   before:  %y = Conv(%x, %W)   W = [0.9, -0.05, 0.4, 0.01]
 *   after:   %y = Conv(%x, %W)   W = [0.9,  0,    0.4, 0   ]      (sparsity=0.5)
 */
import type { Model } from '../src/ir/model.js';
import { definePass, OptionValues, PassContext, Stats } from '../src/pass/pass.js';
import { CRITERION_NAMES } from './prune-magnitude/criterion.js';
import { splitPatterns } from './prune-magnitude/glob.js';
import { formatLayerTable } from './prune-magnitude/layer-table.js';
import { readMasksFile, writeMasksFile } from './prune-magnitude/mask-file.js';
import { PRUNE_DEFAULTS, pruneMagnitude, PruneReport } from './prune-magnitude/prune.js';

const options = {
  sparsity: { type: 'number', default: PRUNE_DEFAULTS.sparsity, min: 0, max: 1, doc: 'fraction of the chosen weights to make zero, at least 0 and below 1' },
  scope: { type: 'enum', values: ['layer', 'global'], default: PRUNE_DEFAULTS.scope, doc: 'layer: that fraction of every weight; global: one magnitude threshold across all chosen weights' },
  criterion: { type: 'enum', values: CRITERION_NAMES, default: PRUNE_DEFAULTS.criterion, doc: 'importance score of a weight: l1 = its absolute value, l2 = its square' },
  include: { type: 'string', default: '', doc: 'prune only weights whose name or consumer node name matches one of these globs (several: separate them with a vertical bar)' },
  exclude: { type: 'string', default: '', doc: 'never prune weights whose name or consumer node name matches one of these globs (several: separate them with a vertical bar)' },
  'min-params': { type: 'int', default: PRUNE_DEFAULTS.minParams, min: 0, doc: 'leave weights with fewer elements alone' },
  'skip-first-last': { type: 'boolean', default: PRUNE_DEFAULTS.skipFirstLast, doc: 'leave the first and the last prunable layer alone' },
  masks: { type: 'string', default: '', doc: 'apply the masks in this file (see save-masks) instead of deciding by magnitude' },
  'save-masks': { type: 'string', default: '', doc: 'write the masks applied to this JSON file' },
} as const;

export type PruneMagnitudeOptions = OptionValues<typeof options>;

const description = `Unstructured magnitude pruning. Prunable weights are the constant weight operands of
Conv, ConvTranspose, Gemm and MatMul: an initializer or a Constant node, directly or through
Transpose, Cast, Identity or a DequantizeLinear (a quantized weight is zeroed by setting it to its
zero point). A tensor shared by several nodes is pruned once. The k = round(sparsity x elements)
lowest-scoring elements are zeroed (per weight, or across all chosen weights with scope=global),
ties broken by position, so the sparsity reached is exact to half an element; elements that are
already zero count toward it. Decide and apply are separate: save-masks writes the decision,
masks=FILE applies a saved one (iterative pruning, rewinding).

  before:  %y = Conv(%x, %W)   W = [0.9, -0.05, 0.4, 0.01]
  after:   %y = Conv(%x, %W)   W = [0.9,  0,    0.4, 0   ]      (sparsity=0.5)`;

/** The pass; `onReport` receives the per-weight report of every run instead of a note with its table (the prune command prints it). */
export function createPruneMagnitudePass(onReport?: (report: PruneReport) => void) {
  return definePass({
    name: 'prune-magnitude',
    summary: 'Zero the smallest-magnitude elements of Conv/Gemm/MatMul weights to a target sparsity',
    description,
    options,
    statistics: {
      'weights-zeroed': 'weight elements set to zero',
      'tensors-pruned': 'weight tensors that got new zeros',
      'tensors-skipped': 'prunable weights left alone (include/exclude, min-params, skip-first-last)',
    },
    run(model: Model, o: PruneMagnitudeOptions, ctx: PassContext) {
      const report = pruneMagnitude(model, {
        sparsity: o.sparsity,
        scope: o.scope as 'layer' | 'global',
        criterion: o.criterion,
        include: splitPatterns(o.include),
        exclude: splitPatterns(o.exclude),
        minParams: o['min-params'],
        skipFirstLast: o['skip-first-last'],
        masks: o.masks ? readMasksFile(o.masks) : undefined,
      });
      if (o['save-masks']) writeMasksFile(o['save-masks'], report.masks);
      for (const w of report.warnings) ctx.note(w);
      if (onReport) onReport(report);
      else if (report.layers.length) ctx.note(`per-weight result:\n${formatLayerTable(report)}`);
      const stats = new Stats();
      stats.add('weights-zeroed', report.zeroed);
      stats.add('tensors-pruned', report.layers.filter((l) => l.zerosAfter > l.zerosBefore).length);
      stats.add('tensors-skipped', report.skipped.length);
      return stats.result();
    },
  });
}

export default createPruneMagnitudePass();

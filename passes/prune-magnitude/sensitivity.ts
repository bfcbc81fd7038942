/**
 * Sensitivity analysis (as in Distiller): prune one weight at a time to each level, measure the
 * model, and restore the weight before the next. Shows which layers tolerate pruning and which do not.
 */
import type { NumericArray } from '../../src/ir/dtype.js';
import type { Model } from '../../src/ir/model.js';
import { ChooseOptions, chooseWeights } from './choose.js';
import { CRITERIA } from './criterion.js';
import { decideMagnitude } from './decide.js';
import { findPrunableWeights } from './prunable.js';

export interface SensitivityOptions extends ChooseOptions {
  levels: readonly number[];
  criterion: string;
}

export interface LayerSensitivity {
  name: string;
  shape: number[];
  params: number;
  /** The metric with only this weight pruned, one value per level. */
  values: number[];
}

export interface SensitivityResult {
  /** The metric of the unpruned model. */
  baseline: number;
  layers: LayerSensitivity[];
  warnings: string[];
}

/** `evaluate` measures the model as it is when called (higher or lower is better, as the caller's metric says). */
export async function analyzeSensitivity(model: Model, options: SensitivityOptions, evaluate: (model: Model) => Promise<number>): Promise<SensitivityResult> {
  const criterion = CRITERIA[options.criterion];
  const choice = chooseWeights(findPrunableWeights(model).weights, options);
  const baseline = await evaluate(model);
  const layers: LayerSensitivity[] = [];
  for (const weight of choice.chosen) {
    const data = weight.tensor.data as NumericArray;
    const original = data.slice();
    const values: number[] = [];
    for (const level of options.levels) {
      const [decision] = decideMagnitude([weight], level, 'layer', criterion);
      weight.elements().applyMask(decision.mask);
      try {
        values.push(await evaluate(model));
      } finally {
        (data as Float32Array).set(original as Float32Array);
      }
    }
    layers.push({ name: weight.name, shape: [...weight.tensor.dims], params: weight.tensor.size, values });
  }
  return { baseline, layers, warnings: choice.warnings };
}

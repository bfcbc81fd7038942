/** The negative log-likelihood step shared by NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss. */
import { ShearsError } from '../../src/error.js';
import { describe } from '../../src/ir/node.js';
import type { Node } from '../../src/ir/node.js';
import { elementCount } from '../../src/ir/tensor.js';

export type Reduction = 'none' | 'sum' | 'mean';

export interface NllShape {
  /** Batch, classes, and spatial positions per batch item ([N, C, d1, d2, ...] read as [N, C, D]). */
  n: number;
  c: number;
  d: number;
  /** Dims of the unreduced loss (the target's). */
  lossDims: number[];
}

export function nllShape(node: Node, input: readonly number[], target: readonly number[]): NllShape {
  const ok = input.length >= 2 && target.length === input.length - 1 && target[0] === input[0] && target.every((t, i) => i === 0 || t === input[i + 1]);
  if (!ok) throw new ShearsError('E_SHAPE', `${describe(node)}: target of shape [${target.join(',')}] does not match input of shape [${input.join(',')}]`, { node: node.name });
  return { n: input[0], c: input[1], d: elementCount(input.slice(2)), lossDims: [...target] };
}

function isReduction(r: string): r is Reduction {
  return r === 'none' || r === 'sum' || r === 'mean';
}

/** For `supports`: whether the reduction attribute is one the loss ops know. */
export function reductionSupported(node: Node): true | string {
  const r = node.getString('reduction', 'mean');
  return isReduction(r) ? true : `reduction '${r}' is not none, sum or mean`;
}

export function readReduction(node: Node): Reduction {
  const r = node.getString('reduction', 'mean');
  if (!isReduction(r)) throw new ShearsError('E_UNSUPPORTED_OP', `${describe(node)}: reduction '${r}' is not none, sum or mean`, { node: node.name });
  return r;
}

/** The optional class weights: one per class. */
export function checkWeights(node: Node, dims: readonly number[] | undefined, classes: number): void {
  if (dims && (dims.length !== 1 || dims[0] !== classes)) {
    throw new ShearsError('E_SHAPE', `${describe(node)}: weights of shape [${dims.join(',')}] are not one per class (${classes})`, { node: node.name });
  }
}

/**
 * Writes the loss of log-probabilities `logp` ([N, C, D]) against `target` ([N, D]) into `out`: one
 * value per position for 'none', else the sum, or the weighted mean (sum over the weights of the
 * targets that were not ignored, as the spec's reference does).
 */
export function nll(
  node: Node,
  shape: NllShape,
  logp: ArrayLike<number>,
  target: ArrayLike<number | bigint>,
  weight: ArrayLike<number> | null,
  ignoreIndex: number | undefined,
  reduction: Reduction,
  out: { [i: number]: number },
): void {
  const { n, c, d } = shape;
  let sum = 0;
  let weightSum = 0;
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < d; p++) {
      const at = b * d + p;
      const t = Number(target[at]);
      let loss = 0;
      let w = 0;
      if (t !== ignoreIndex) {
        if (!(t >= 0 && t < c)) throw new ShearsError('E_SHAPE', `${describe(node)}: target ${t} is outside ${c} classes`, { node: node.name });
        w = weight ? weight[t] : 1;
        loss = -logp[(b * c + t) * d + p] * w;
      }
      if (reduction === 'none') out[at] = loss;
      sum += loss;
      weightSum += w;
    }
  }
  if (reduction === 'sum') out[0] = sum;
  else if (reduction === 'mean') out[0] = sum / weightSum;
}

import type { Rule } from '../context.js';
import { tensorOf } from './common.js';

/** Per-element loss shape: the target's ([N, d1, ...]) without reduction, a scalar with one. */
function lossShape(ctx: Parameters<Rule>[0]): ReturnType<typeof tensorOf> {
  const dtype = ctx.dtype(0);
  if (ctx.node.getString('reduction', 'mean') !== 'none') return tensorOf(dtype, []);
  const target = ctx.shape(1);
  const scores = ctx.shape(0);
  return tensorOf(dtype, target ?? (scores ? [scores[0], ...scores.slice(2)] : undefined));
}

export const negativeLogLikelihoodLoss: Rule = (ctx) => lossShape(ctx);

/** SoftmaxCrossEntropyLoss: the loss, and optionally log_prob shaped like the scores. */
export const softmaxCrossEntropyLoss: Rule = (ctx) => [lossShape(ctx), ctx.type(0)];

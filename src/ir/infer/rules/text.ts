import { DType } from '../../dtype.js';
import type { Rule } from '../context.js';
import { tensorOf } from './common.js';

/** StringNormalizer: [C] or [1, C]; removing stop words makes C data-dependent. */
export const stringNormalizer: Rule = (ctx) => {
  const s = ctx.shape(0);
  const removes = (ctx.node.attr('stopwords')?.value as string[] | undefined)?.length ?? 0;
  if (!s || removes === 0) return tensorOf(DType.STRING, s);
  return tensorOf(DType.STRING, s.map((d, i) => (i === s.length - 1 ? null : d)));
};

/** TfIdfVectorizer: [C] or [N, C] to [max(ngram_indexes) + 1] or [N, that], float. */
export const tfIdfVectorizer: Rule = (ctx) => {
  const s = ctx.shape(0);
  const indexes = ctx.node.getInts('ngram_indexes') ?? [];
  const width = indexes.length ? Math.max(...indexes) + 1 : 0;
  if (!s) return tensorOf(DType.FLOAT);
  return tensorOf(DType.FLOAT, s.length === 2 ? [s[0], width] : [width]);
};

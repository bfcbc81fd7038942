import type { Dim } from '../../types.js';
import type { Rule } from '../context.js';
import { broadcastShapes, conflicts, unifyDim } from '../dims.js';
import { tensorOf } from './common.js';

/** Einsum: each letter names one size; '...' dims broadcast; implicit output = ellipsis + letters used once, sorted. */
export const einsum: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const equation = ctx.node.getString('equation', '').replace(/\s/g, '');
  const [lhs, rhs] = equation.split('->');
  const terms = lhs.split(',');
  if (terms.length !== ctx.inputCount) return tensorOf(dtype);
  const sizes = new Map<string, Dim>();
  const counts = new Map<string, number>();
  const ellipses: Dim[][] = [];
  for (let i = 0; i < terms.length; i++) {
    const shape = ctx.shape(i);
    if (!shape) return tensorOf(dtype);
    const [before, after = ''] = terms[i].split('...');
    const hasEllipsis = terms[i].includes('...');
    const letters = before.length + after.length;
    const ellipsisRank = shape.length - letters;
    if (ellipsisRank < 0 || (!hasEllipsis && ellipsisRank !== 0)) return tensorOf(dtype);
    const labelled = [...before].map((c, k) => [c, shape[k]] as const).concat([...after].map((c, k) => [c, shape[before.length + ellipsisRank + k]] as const));
    for (const [c, d] of labelled) {
      const prev = sizes.get(c);
      if (prev !== undefined && conflicts(prev, d)) return tensorOf(dtype);
      sizes.set(c, prev === undefined ? d : unifyDim(prev, d));
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    if (hasEllipsis) ellipses.push(shape.slice(before.length, before.length + ellipsisRank));
  }
  const ellipsis = broadcastShapes(ellipses);
  if (!ellipsis) return tensorOf(dtype);
  if (rhs === undefined) {
    const once = [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort();
    return tensorOf(dtype, [...ellipsis, ...once.map((c) => sizes.get(c)!)]);
  }
  const [before, after = ''] = rhs.split('...');
  const letters = [...before, ...after];
  if (letters.some((c) => !sizes.has(c))) return tensorOf(dtype);
  const out: Dim[] = [...before].map((c) => sizes.get(c)!);
  if (rhs.includes('...')) out.push(...ellipsis);
  out.push(...[...after].map((c) => sizes.get(c)!));
  return tensorOf(dtype, out);
};

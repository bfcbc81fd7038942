import type { Dim } from '../../types.js';
import type { Evaluator } from '../context.js';
import { normalizeAxes } from '../dims.js';
import { known } from '../known-value.js';
import { axesFrom } from '../rules/common.js';
import { ElementOp, add, fit, max, min, mul, strides } from './elements.js';

/** ReduceSum/Prod/Max/Min over known contents (shape products like prod(shape[1:]) in exported Flatten). */
function reduceWith(op: ElementOp): Evaluator {
  return (ctx) => {
    const v = ctx.value(0);
    const given = axesFrom(ctx, 1);
    if (!v || given === undefined) return undefined;
    const noop = ctx.node.getInt('noop_with_empty_axes', 0) !== 0;
    const all = v.dims.map((_, i) => i);
    const axes = given === 'absent' || given.length === 0 ? (noop ? [] : all) : normalizeAxes(given, v.dims.length);
    if (!axes) return undefined;
    const keep = ctx.node.getInt('keepdims', 1) !== 0;
    const outDims = v.dims.map((d, i) => (axes.includes(i) ? 1 : d));
    const outStrides = strides(outDims);
    const inStrides = strides(v.dims);
    const total = outDims.reduce((a, b) => a * b, 1);
    const acc: (Dim | undefined)[] = new Array(total).fill(undefined);
    for (let flat = 0; flat < v.data.length; flat++) {
      let at = 0;
      for (let d = 0; d < v.dims.length; d++) {
        if (!axes.includes(d)) at += (Math.floor(flat / inStrides[d]) % v.dims[d]) * outStrides[d];
      }
      const prev = acc[at];
      acc[at] = prev === undefined ? v.data[flat] : op(prev, v.data[flat]);
    }
    if (acc.includes(undefined)) return undefined;
    const dims = keep ? outDims : v.dims.filter((_, i) => !axes.includes(i));
    return known(v.dtype, dims, acc.map((x) => fit(v.dtype, x as Dim)));
  };
}

export const REDUCTIONS: Record<string, Evaluator> = {
  ReduceSum: reduceWith(add),
  ReduceProd: reduceWith(mul),
  ReduceMax: reduceWith(max),
  ReduceMin: reduceWith(min),
};

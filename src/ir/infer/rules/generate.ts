import { DType } from '../../dtype.js';
import type { Dim } from '../../types.js';
import type { Rule } from '../context.js';
import { unknownDims } from '../dims.js';
import { dtypeAttr, tensorOf } from './common.js';

/** Constant: the type of whichever value attribute it carries. */
export const constant: Rule = (ctx) => {
  const a = ctx.node.attributes[0];
  if (!a || ctx.node.attributes.length !== 1) return undefined;
  switch (a.name) {
    case 'value':
    case 'sparse_value':
      return a.type === 'tensor' || a.type === 'sparse_tensor' ? tensorOf(a.value.dtype, a.value.dims) : undefined;
    case 'value_float':
      return tensorOf(DType.FLOAT, []);
    case 'value_floats':
      return a.type === 'floats' ? tensorOf(DType.FLOAT, [a.value.length]) : undefined;
    case 'value_int':
      return tensorOf(DType.INT64, []);
    case 'value_ints':
      return a.type === 'ints' ? tensorOf(DType.INT64, [a.value.length]) : undefined;
    case 'value_string':
      return tensorOf(DType.STRING, []);
    case 'value_strings':
      return a.type === 'strings' ? tensorOf(DType.STRING, [a.value.length]) : undefined;
  }
  return undefined;
};

/** ConstantOfShape: the shape is the input's contents (symbolic entries stay symbolic). */
export const constantOfShape: Rule = (ctx) => {
  const dtype = ctx.node.getTensor('value')?.dtype ?? DType.FLOAT;
  const dims = ctx.value(0)?.data;
  if (dims) return tensorOf(dtype, dims);
  const rank = ctx.shape(0)?.[0];
  return tensorOf(dtype, unknownDims(rank));
};

/** Range(start, limit, delta): max(ceil((limit - start) / delta), 0) elements; Range(0, N, 1) has N. */
export const range: Rule = (ctx) => {
  const dtype = ctx.dtype(0) ?? ctx.dtype(1) ?? ctx.dtype(2);
  return tensorOf(dtype, [rangeLength(ctx.value(0)?.data[0], ctx.value(1)?.data[0], ctx.value(2)?.data[0])]);
};

export function rangeLength(start: Dim | undefined, limit: Dim | undefined, delta: Dim | undefined): Dim {
  if (typeof start === 'number' && typeof limit === 'number' && typeof delta === 'number' && delta !== 0) {
    return Math.max(Math.ceil((limit - start) / delta), 0);
  }
  return start === 0 && delta === 1 && typeof limit === 'string' ? limit : null;
}

export const eyeLike: Rule = (ctx) => tensorOf(dtypeAttr(ctx.node, 'dtype', ctx.dtype(0)), ctx.shape(0));

/** RandomNormal, RandomUniform: shape and dtype (default float) by attribute. */
export const random: Rule = (ctx) => tensorOf(dtypeAttr(ctx.node, 'dtype', DType.FLOAT), ctx.node.getInts('shape'));

/** RandomNormalLike, RandomUniformLike, Bernoulli: the input's shape, dtype by attribute or the input's. */
export const randomLike: Rule = (ctx) => tensorOf(dtypeAttr(ctx.node, 'dtype', ctx.dtype(0)), ctx.shape(0));

/** Multinomial(input [batch, classes]) gives [batch, sample_size] (int32 unless `dtype`). */
export const multinomial: Rule = (ctx) =>
  tensorOf(dtypeAttr(ctx.node, 'dtype', DType.INT32), [ctx.shape(0)?.[0] ?? null, ctx.node.getInt('sample_size', 1)]);

/** HannWindow, HammingWindow, BlackmanWindow(size): [size], float unless output_datatype. */
export const window: Rule = (ctx) => tensorOf(dtypeAttr(ctx.node, 'output_datatype', DType.FLOAT), [ctx.ints(0)?.[0] ?? null]);

/** MelWeightMatrix(num_mel_bins, dft_length, ...): [floor(dft_length / 2) + 1, num_mel_bins]. */
export const melWeightMatrix: Rule = (ctx) => {
  const bins = ctx.ints(0)?.[0] ?? null;
  const dft = ctx.ints(1)?.[0];
  return tensorOf(dtypeAttr(ctx.node, 'output_datatype', DType.FLOAT), [dft === undefined ? null : Math.floor(dft / 2) + 1, bins]);
};

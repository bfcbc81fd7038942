import { DType } from '../../dtype.js';
import type { Dim, ValueType } from '../../types.js';
import type { Rule } from '../context.js';
import { mergeTypes, normalizeAxis } from '../dims.js';
import { dtypeAttr, tensorOf } from './common.js';

function sequenceOf(elem: ValueType | undefined): ValueType {
  return elem ? { kind: 'sequence', elem } : { kind: 'sequence' };
}

function elementOf(t: ValueType | undefined): ValueType | undefined {
  return t?.kind === 'sequence' || t?.kind === 'optional' ? t.elem : undefined;
}

/** SequenceConstruct: one element type covering all inputs. */
export const sequenceConstruct: Rule = (ctx) => {
  let elem = ctx.type(0);
  for (let i = 1; i < ctx.inputCount; i++) elem = mergeTypes(elem, ctx.type(i));
  return sequenceOf(elem);
};

/** SequenceEmpty: element shape unknown, dtype by attribute (float by default). */
export const sequenceEmpty: Rule = (ctx) => sequenceOf(tensorOf(dtypeAttr(ctx.node, 'dtype', DType.FLOAT)));

export const sequenceInsert: Rule = (ctx) => sequenceOf(mergeTypes(elementOf(ctx.type(0)), ctx.type(1)));

export const sequenceErase: Rule = (ctx) => ctx.type(0);

export const sequenceAt: Rule = (ctx) => elementOf(ctx.type(0));

export const sequenceLength: Rule = () => tensorOf(DType.INT64, []);

/** SplitToSequence: pieces along `axis`, 1-sized (or squeezed with keepdims=0) without `split`. */
export const splitToSequence: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const s = ctx.shape(0);
  if (!s) return sequenceOf(tensorOf(dtype));
  const axis = normalizeAxis(ctx.node.getInt('axis', 0), s.length);
  if (axis === undefined) return sequenceOf(tensorOf(dtype));
  if (!ctx.has(1)) {
    const keep = ctx.node.getInt('keepdims', 1) !== 0;
    return sequenceOf(tensorOf(dtype, keep ? s.map((d, i) => (i === axis ? 1 : d)) : s.filter((_, i) => i !== axis)));
  }
  const split = ctx.ints(1);
  let piece: Dim = null;
  if (split && split.length > 0 && split.every((x) => x === split[0])) {
    piece = ctx.shape(1)?.length === 0 && !(typeof s[axis] === 'number' && (s[axis] as number) % split[0] === 0) ? null : split[0];
  }
  return sequenceOf(tensorOf(dtype, s.map((d, i) => (i === axis ? piece : d))));
};

/** ConcatFromSequence: the element shape with the axis dim unknown (or a new axis of unknown size). */
export const concatFromSequence: Rule = (ctx) => {
  const elem = elementOf(ctx.type(0));
  if (elem?.kind !== 'tensor') return undefined;
  if (!elem.shape) return tensorOf(elem.dtype);
  const newAxis = ctx.node.getInt('new_axis', 0) !== 0;
  const rank = elem.shape.length + (newAxis ? 1 : 0);
  const axis = normalizeAxis(ctx.node.getInt('axis', Number.NaN), rank);
  if (axis === undefined) return tensorOf(elem.dtype);
  const out: Dim[] = newAxis ? [...elem.shape.slice(0, axis), null, ...elem.shape.slice(axis)] : elem.shape.map((d, i) => (i === axis ? null : d));
  return tensorOf(elem.dtype, out);
};

/** Optional(input?) wraps the input's type, or the `type` attribute's when empty. */
export const optional: Rule = (ctx) => {
  const elem = ctx.has(0) ? ctx.type(0) : (ctx.node.attr('type')?.value as ValueType | undefined);
  return elem ? { kind: 'optional', elem } : { kind: 'optional' };
};

/** OptionalGetElement: the element type (opset 18 also accepts a plain tensor or sequence). */
export const optionalGetElement: Rule = (ctx) => {
  const t = ctx.type(0);
  return t?.kind === 'optional' ? t.elem : t;
};

export const optionalHasElement: Rule = () => tensorOf(DType.BOOL, []);

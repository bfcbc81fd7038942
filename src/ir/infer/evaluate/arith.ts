import { DType, isFloat } from '../../dtype.js';
import type { Dim } from '../../types.js';
import type { Evaluator, RuleContext } from '../context.js';
import type { KnownValue } from '../known-value.js';
import { dtypeAttr } from '../rules/common.js';
import { ElementOp, add, div, elementwise, equal, fit, greater, less, max, min, mod, mul, sub } from './elements.js';

function inputs(ctx: RuleContext): KnownValue[] | undefined {
  const out: KnownValue[] = [];
  for (let i = 0; i < ctx.inputCount; i++) {
    const v = ctx.value(i);
    if (!v) return undefined;
    out.push(v);
  }
  return out.length ? out : undefined;
}

/** A binary op folded over all inputs (Max, Min, Sum take any number), result in the inputs' dtype. */
function fold(opFor: (ctx: RuleContext) => ElementOp, resultType?: DType): Evaluator {
  return (ctx) => {
    const values = inputs(ctx);
    if (!values) return undefined;
    const f = opFor(ctx);
    const dtype = resultType ?? values[0].dtype;
    return elementwise(dtype, values, (...xs) => xs.reduce((acc, x) => f(acc, x)));
  };
}

function unary(op: (x: number) => number): Evaluator {
  return (ctx) => {
    const v = ctx.value(0);
    return v && elementwise(v.dtype, [v], (x) => (typeof x === 'number' ? op(x) : null));
  };
}

const integerDiv = (ctx: RuleContext): ElementOp => div(!isFloat(ctx.value(0)?.dtype ?? DType.FLOAT));
const fmod = (ctx: RuleContext): ElementOp => mod(ctx.node.getInt('fmod', 0) !== 0);

export const ARITHMETIC: Record<string, Evaluator> = {
  Add: fold(() => add), Sub: fold(() => sub), Mul: fold(() => mul), Div: fold(integerDiv), Mod: fold(fmod),
  Max: fold(() => max), Min: fold(() => min), Sum: fold(() => add),
  Equal: fold(() => equal, DType.BOOL), Less: fold(() => less, DType.BOOL), Greater: fold(() => greater, DType.BOOL),
  Neg: unary((x) => -x), Relu: unary((x) => Math.max(x, 0)), Abs: unary(Math.abs), Floor: unary(Math.floor), Ceil: unary(Math.ceil),
  Not: unary((x) => Number(x === 0)),
  Where: (ctx) => {
    const values = inputs(ctx);
    return values && elementwise(values[1].dtype, values, (c, x, y) => (typeof c === 'number' ? (c !== 0 ? x : y) : x !== null && x === y ? x : null));
  },
  Cast: (ctx) => castTo(ctx.value(0), dtypeAttr(ctx.node, 'to')),
  CastLike: (ctx) => castTo(ctx.value(0), ctx.value(1)?.dtype ?? ctx.dtype(1)),
};

/** Cast keeps names: a dim cast to float and back is still that dim. */
function castTo(v: KnownValue | undefined, dtype: DType | undefined): KnownValue | undefined {
  if (!v || dtype === undefined) return undefined;
  return elementwise(dtype, [v], (x: Dim) => fit(dtype, x));
}

import type { Dim } from '../../src/ir/types.js';
import type { Value } from '../../src/ir/value.js';
import type { ChannelRuleContext } from './types.js';

/** An ONNX axis attribute (negative counts from the end) as an index, or undefined when out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

export function rankOf(ctx: ChannelRuleContext, v: Value | null | undefined): number | undefined {
  return ctx.shape(v)?.length;
}

/** Axis k of `a` and axis map(k) of `b` are the same channels (both directions). */
export function coupleAxes(ctx: ChannelRuleContext, a: Value, b: Value, map: (k: number) => number | undefined = (k) => k, inverse: (k: number) => number | undefined = (k) => k): void {
  for (const [k, units] of ctx.axes(a)) {
    const j = map(k);
    if (j !== undefined) ctx.assign(b, j, units, ctx.role(a, k));
  }
  for (const [j, units] of ctx.axes(b)) {
    const k = inverse(j);
    if (k !== undefined) ctx.assign(a, k, units, ctx.role(b, j));
  }
}

/** Axes of `v` that carry units, other than those allowed. */
export function unitAxesExcept(ctx: ChannelRuleContext, v: Value | null | undefined, allowed: readonly number[]): number[] {
  return [...ctx.axes(v).keys()].filter((k) => !allowed.includes(k));
}

export function product(dims: readonly Dim[]): number | undefined {
  let n = 1;
  for (const d of dims) {
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

export function hasUnits(ctx: ChannelRuleContext, values: readonly (Value | null | undefined)[]): boolean {
  return values.some((v) => ctx.axes(v).size > 0);
}

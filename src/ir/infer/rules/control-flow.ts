import { DType } from '../../dtype.js';
import type { Graph } from '../../graph.js';
import type { Node } from '../../node.js';
import type { Dim, ValueType } from '../../types.js';
import type { Rule, RuleContext } from '../context.js';
import { mergeTypes, normalizeAxis, sameType, unifyDim } from '../dims.js';
import type { KnownValue } from '../known-value.js';
import { tensorOf } from './common.js';

function graphAttr(node: Node, name: string): Graph | undefined {
  const a = node.attr(name);
  return a?.type === 'graph' ? a.value : undefined;
}

/** If: the taken branch's types when the condition is known, else what both branches agree on. */
export const ifRule: Rule = (ctx) => {
  const thenBranch = graphAttr(ctx.node, 'then_branch');
  const elseBranch = graphAttr(ctx.node, 'else_branch');
  const thenTypes = thenBranch ? ctx.subgraph(thenBranch, []).types : [];
  const elseTypes = elseBranch ? ctx.subgraph(elseBranch, []).types : [];
  const cond = ctx.value(0)?.data[0];
  if (typeof cond === 'number') return cond !== 0 ? thenTypes : elseTypes;
  return ctx.node.outputs.map((_, i) => mergeTypes(thenTypes[i], elseTypes[i]));
};

/** Rounds of re-inferring a body until loop-carried types stop changing (each round only generalises). */
const MAX_ROUNDS = 8;
/** After this many rounds carried contents are no longer followed, so that the types can settle. */
const VALUE_ROUNDS = 4;

interface Carried {
  types: (ValueType | undefined)[];
  values: (KnownValue | undefined)[];
}

/**
 * Infer a loop body whose first `carried.types.length` outputs feed back into the inputs at
 * `offset`: start from the initial types and contents, generalise to what each round produces, and
 * stop at a fixed point. A value the body reproduces unchanged is loop-invariant and stays known.
 */
function fixedPoint(ctx: RuleContext, body: Graph, prefix: (ValueType | undefined)[], rest: (ValueType | undefined)[], carried: Carried, outOffset: number) {
  let state = carried;
  for (let round = 0; ; round++) {
    const result = ctx.subgraph(body, [...prefix, ...state.types, ...rest], [...prefix.map(() => undefined), ...state.values]);
    const produced = result.types.slice(outOffset, outOffset + state.types.length);
    const next: Carried = {
      types: state.types.map((t, i) => mergeTypes(t, produced[i])),
      values: state.values.map((v, i) => (round < VALUE_ROUNDS && sameKnown(v, result.values[outOffset + i]) ? v : undefined)),
    };
    const stable = next.types.every((t, i) => sameType(t, state.types[i])) && next.values.every((v, i) => v === state.values[i]);
    if (stable) return { state: next, result };
    if (round >= MAX_ROUNDS) {
      // no fixed point yet: settle for what certainly holds in every iteration
      const widest: Carried = { types: next.types.map(kindOnly), values: next.values.map(() => undefined) };
      return { state: widest, result: ctx.subgraph(body, [...prefix, ...widest.types, ...rest]) };
    }
    state = next;
  }
}

/** A type with every size forgotten: the element type of a tensor, the kind of a container. */
function kindOnly(t: ValueType | undefined): ValueType | undefined {
  if (t?.kind === 'tensor' || t?.kind === 'sparse_tensor') return { kind: t.kind, dtype: t.dtype };
  if (t?.kind === 'sequence' || t?.kind === 'optional') return { kind: t.kind };
  return undefined;
}

function sameKnown(a: KnownValue | undefined, b: KnownValue | undefined): boolean {
  if (!a || !b || a.dtype !== b.dtype || a.dims.length !== b.dims.length || a.data.length !== b.data.length) return false;
  return a.dims.every((d, i) => d === b.dims[i]) && a.data.every((d, i) => typeof d === 'number' && d === b.data[i]);
}

/**
 * Loop(M, cond, v_initial...): final carried values, then scan outputs stacked on a new first axis
 * whose length is M when the condition provably stays true.
 */
export const loop: Rule = (ctx) => {
  const body = graphAttr(ctx.node, 'body');
  if (!body) return undefined;
  const n = ctx.inputCount - 2;
  const initialCond: KnownValue | undefined = ctx.has(1) ? ctx.value(1) : { dtype: DType.BOOL, dims: [], data: [1] };
  const carried: Carried = {
    types: [tensorOf(DType.BOOL, []), ...Array.from({ length: n }, (_, i) => ctx.type(2 + i))],
    values: [initialCond, ...Array.from({ length: n }, (_, i) => ctx.value(2 + i))],
  };
  const { state, result } = fixedPoint(ctx, body, [tensorOf(DType.INT64, [])], [], carried, 0);
  const trips = ctx.value(0)?.data[0];
  const condStaysTrue = typeof state.values[0]?.data[0] === 'number' && state.values[0].data[0] !== 0;
  const count: Dim = ctx.has(0) && typeof trips === 'number' && condStaysTrue ? trips : null;
  const scans = result.types.slice(1 + n).map((t) => stacked(t, count, 0));
  return [...state.types.slice(1), ...scans];
};

/** A per-iteration tensor type with the iteration axis inserted at `axis`. */
function stacked(t: ValueType | undefined, count: Dim, axis: number): ValueType | undefined {
  if (t?.kind !== 'tensor') return undefined;
  if (!t.shape) return tensorOf(t.dtype);
  const at = normalizeAxis(axis, t.shape.length + 1);
  if (at === undefined) return tensorOf(t.dtype);
  return tensorOf(t.dtype, [...t.shape.slice(0, at), count, ...t.shape.slice(at)]);
}

function withoutAxis(t: ValueType | undefined, axis: number): { elem: ValueType | undefined; length: Dim } {
  if (t?.kind !== 'tensor') return { elem: undefined, length: null };
  if (!t.shape) return { elem: tensorOf(t.dtype), length: null };
  const at = normalizeAxis(axis, t.shape.length);
  if (at === undefined) return { elem: tensorOf(t.dtype), length: null };
  return { elem: tensorOf(t.dtype, t.shape.filter((_, i) => i !== at)), length: t.shape[at] };
}

/**
 * Scan: state variables carried through the body, scan inputs sliced along their axes, scan
 * outputs stacked along theirs. Opset 8 has a leading sequence_lens input and a batch axis on all.
 */
export const scan: Rule = (ctx) => {
  const body = graphAttr(ctx.node, 'body');
  const numScan = ctx.node.getInt('num_scan_inputs');
  if (!body || numScan === undefined) return undefined;
  const batched = ctx.opset < 9;
  const first = batched ? 1 : 0;
  const nState = ctx.inputCount - first - numScan;
  if (nState < 0) return undefined;
  const inputAxes = batched ? [] : ctx.node.getInts('scan_input_axes') ?? [];
  const outputAxes = batched ? [] : ctx.node.getInts('scan_output_axes') ?? [];
  let batch: Dim = null;
  const unbatch = (t: ValueType | undefined): ValueType | undefined => {
    if (!batched) return t;
    const { elem, length } = withoutAxis(t, 0);
    batch = unifyDim(batch, length);
    return elem;
  };
  const states = Array.from({ length: nState }, (_, i) => unbatch(ctx.type(first + i)));
  let length: Dim = null;
  const elems = Array.from({ length: numScan }, (_, j) => {
    const { elem, length: len } = withoutAxis(unbatch(ctx.type(first + nState + j)), inputAxes[j] ?? 0);
    length = j === 0 ? len : unifyDim(length, len);
    return elem;
  });
  const carried: Carried = { types: states, values: states.map((_, i) => (batched ? undefined : ctx.value(first + i))) };
  const { state, result } = fixedPoint(ctx, body, [], elems, carried, 0);
  const rebatch = (t: ValueType | undefined): ValueType | undefined => (batched ? stacked(t, batch, 0) : t);
  const scans = result.types.slice(nState).map((t, j) => rebatch(stacked(t, length, outputAxes[j] ?? 0)));
  return [...state.types.map(rebatch), ...scans];
};

/** SequenceMap(sequence, more...): the body runs per element; outputs are sequences of its outputs. */
export const sequenceMap: Rule = (ctx) => {
  const body = graphAttr(ctx.node, 'body');
  if (!body) return undefined;
  const inputs = Array.from({ length: ctx.inputCount }, (_, i) => {
    const t = ctx.type(i);
    return t?.kind === 'sequence' ? t.elem : t;
  });
  return ctx.subgraph(body, inputs).types.map((elem): ValueType => (elem ? { kind: 'sequence', elem } : { kind: 'sequence' }));
};

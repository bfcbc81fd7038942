import type { DType } from '../dtype.js';
import type { Graph } from '../graph.js';
import type { Node } from '../node.js';
import type { Dim, ValueType } from '../types.js';
import type { KnownValue } from './known-value.js';

/** What a rule may ask about the node it types. Every question has "unknown" (undefined) as an answer. */
export interface RuleContext {
  readonly node: Node;
  /** The opset version of the node's domain. */
  readonly opset: number;
  /** Number of input slots, missing optional inputs included. */
  readonly inputCount: number;
  /** Whether input `i` is present (not an omitted optional input). */
  has(i: number): boolean;
  type(i: number): ValueType | undefined;
  /** Element type of a tensor input. */
  dtype(i: number): DType | undefined;
  /** Shape of a tensor input (undefined: unknown rank). */
  shape(i: number): Dim[] | undefined;
  /** The input's contents where known (constants and propagated shape computations). */
  value(i: number): KnownValue | undefined;
  /** The input's contents as numbers, when every element is a known number. */
  ints(i: number): number[] | undefined;
  /** Infer a subgraph whose inputs have these types and (optionally) known contents. */
  subgraph(graph: Graph, inputs: readonly (ValueType | undefined)[], values?: readonly (KnownValue | undefined)[]): SubgraphResult;
}

export interface SubgraphResult {
  types: (ValueType | undefined)[];
  values: (KnownValue | undefined)[];
}

/** One output's type, or one per output. */
export type RuleResult = ValueType | undefined | readonly (ValueType | undefined)[];

/** Types the outputs of one op. */
export type Rule = (ctx: RuleContext) => RuleResult;

/** Computes the contents of an op's outputs from known input contents (partial evaluation). */
export type Evaluator = (ctx: RuleContext) => KnownValue | undefined | readonly (KnownValue | undefined)[];

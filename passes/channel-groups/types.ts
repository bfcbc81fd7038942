import type { Graph } from '../../src/ir/graph.js';
import type { Node } from '../../src/ir/node.js';
import type { Tensor } from '../../src/ir/tensor.js';
import type { Dim } from '../../src/ir/types.js';
import type { Value } from '../../src/ir/value.js';

/**
 * A removable unit: one channel, or several indices that must go together (a channel of a tied
 * group conv, the block of features a Flatten makes of one channel). Units are union-find elements;
 * two coupled indices end up in the same unit.
 */
export type UnitId = number;

/**
 * What a channel axis of a value is to the pruning. Constants are sliced whatever their role; the
 * role says which of them soft pruning zeroes (those that make a removed channel exactly zero:
 * producer weights, biases, BatchNorm scale and shift) and which count for importance.
 */
export type Role = 'activation' | 'weight-out' | 'weight-in' | 'bias' | 'bn-scale' | 'bn-shift' | 'stat' | 'factor';

/** Roles whose removed slices soft pruning sets to zero, so that removed channels are exactly 0. */
export const ZEROED_ROLES: ReadonlySet<Role> = new Set<Role>(['weight-out', 'bias', 'bn-scale', 'bn-shift']);

/** What a coupling rule may ask and do while the analysis runs over one node. */
export interface ChannelRuleContext {
  readonly node: Node;
  /** Static or symbolic dims of a value (inferred, else declared, else a constant's dims). */
  shape(v: Value | null | undefined): Dim[] | undefined;
  /** The contents of a small integer value when every element is known (constants, shape computations). */
  ints(v: Value | null | undefined): number[] | undefined;
  /** The tensor of an initializer or Constant node. */
  constant(v: Value | null | undefined): Tensor | null;
  /** The units along each channel axis of a value assigned so far (axis → unit per index). */
  axes(v: Value | null | undefined): ReadonlyMap<number, readonly UnitId[]>;
  units(v: Value | null | undefined, axis: number): readonly UnitId[] | undefined;
  /** The role axis `axis` of `v` was given (a Transpose of a weight passes the weight's role on). */
  role(v: Value, axis: number): Role | undefined;
  /** Whether `v` is a constant, directly or through Transpose/Identity/Cast nodes (a weight torch transposed). */
  isWeight(v: Value | null | undefined): v is Value;
  /** Say that `axis` of `v` carries these units (one per index); if it already carries units, couple them index by index. */
  assign(v: Value, axis: number, units: readonly UnitId[], role?: Role): void;
  /** New independent units. */
  fresh(n: number): UnitId[];
  /** Make units one (they can only be removed together). */
  tie(units: readonly UnitId[]): void;
  /** Leave every unit of these values (default: all of the node's) as it is, saying why. */
  block(reason: string, values?: readonly (Value | null | undefined)[]): void;
  /** Like block, but only if still true when the analysis ends (the other side may be assigned later). */
  pending(reason: string, values?: readonly (Value | null | undefined)[]): void;
  /** This node mixes the channels of `v` into others (a contraction): removed channels must be exactly zero there. */
  contracts(v: Value): void;
  /** Work to do when the channels are removed (attributes, shape constants), replacing the node's earlier fixups. */
  fixup(f: Fixup): void;
}

export interface ChannelRule {
  readonly ops: readonly string[];
  /** Couple the channel axes of the node's inputs and outputs; must be idempotent (it reruns as neighbours learn more). */
  relate(ctx: ChannelRuleContext): void;
  /**
   * Whether the channels of the node's outputs are exactly zero in the soft-pruned model, given
   * which inputs are. Absent: never (Sigmoid(0) = 0.5).
   */
  zero?(node: Node, isZero: (v: Value | null | undefined) => boolean): boolean;
}

/** What fixups see when channels are removed. */
export interface ApplyContext {
  readonly graph: Graph;
  /** The indices kept along a channel axis (all of them when nothing is removed there); undefined when the axis carries no units. */
  keep(v: Value | null | undefined, axis: number): number[] | undefined;
  /** Whether anything is removed from any channel axis of `v`. */
  changed(v: Value | null | undefined): boolean;
  /** Replace input `index` of `node` with a new initializer holding `tensor`. */
  setInputConstant(node: Node, index: number, tensor: Tensor): void;
  /** A node whose output may have become unused; it is removed (with what only it used) at the end. */
  maybeDead(node: Node | null): void;
}

export type Fixup = (apply: ApplyContext) => void;

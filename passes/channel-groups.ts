/**
 * Channel dependency analysis (DepGraph on the ONNX graph): which channel indices of which tensors
 * must be removed together.
 *
 * Every Conv/Gemm/MatMul output channel starts as a unit; the rules in channel-groups/ (one per op
 * family) couple the indices of the tensors a node reads and writes, as index mappings: identity
 * for elementwise ops and normalizations, offsets for Concat/Split/Slice, blocks for Flatten, a
 * permutation for a channel shuffle, ties for group convs. A group is a set of units that appear on
 * exactly the same tensors (a residual stream, one conv's filters in a concat chain): pruning
 * picks units inside a group. Units that reach a node the rules do not understand are blocked and
 * kept, never guessed; units on graph inputs and outputs are fixed.
 *
 *   %a = Conv(%x, %W1)  %b = Conv(%x, %W2)  %s = Add(%a, %b)  %y = Conv(Relu(%s), %W3)
 *   one group: channels of a, b, s; rows of W1 and W2, columns of W3
 */
import type { Model } from '../src/ir/model.js';
import type { Node } from '../src/ir/node.js';
import type { Tensor } from '../src/ir/tensor.js';
import type { Value } from '../src/ir/value.js';
import { analyzeShapes, ShapeAnalysis } from '../src/pass/analysis.js';
import { isStandard } from '../src/pass/rewrite.js';
import { ChannelPropagation } from './channel-groups/engine.js';
import { ruleFor, SEED_OPS } from './channel-groups/registry.js';
import { Fixup, Role, UnitId, ZEROED_ROLES } from './channel-groups/types.js';

/** One channel axis of one tensor: the unit (a group's root unit) of each index along it. */
export interface ChannelMember {
  value: Value;
  axis: number;
  role: Role;
  units: readonly UnitId[];
}

export type GroupStatus = 'prunable' | 'blocked' | 'fixed';

export interface ChannelGroup {
  id: number;
  /** Root units in increasing order; pruning removes some of them. */
  units: readonly UnitId[];
  /** Every tensor axis some unit of the group lies on. */
  members: readonly ChannelMember[];
  /** The Conv/Gemm/MatMul nodes whose outputs carry the group (its layers). */
  sources: readonly Node[];
  status: GroupStatus;
  /** Why the group is blocked or fixed: the node and the reason. */
  reasons: readonly string[];
  /** Channels of the group on its widest layer output (a unit of a group conv is one channel per group). */
  channels: number;
  label: string;
}

export interface ChannelAnalysis {
  model: Model;
  groups: readonly ChannelGroup[];
  members: readonly ChannelMember[];
  groupOf: ReadonlyMap<UnitId, ChannelGroup>;
  fixups: ReadonlyMap<Node, readonly Fixup[]>;
}

export function analyzeChannels(model: Model, shapes: ShapeAnalysis = analyzeShapes(model)): ChannelAnalysis {
  const p = new ChannelPropagation(model.graph, shapes);
  p.run();
  blockNonZeroContractions(p);
  const members: ChannelMember[] = [];
  for (const [value, byAxis] of p.axes) {
    for (const [axis, units] of byAxis) {
      members.push({ value, axis, role: p.roles.get(value)!.get(axis)!, units: units.map((u) => p.sets.find(u)) });
    }
  }
  const groups = formGroups(p, members);
  const groupOf = new Map<UnitId, ChannelGroup>();
  for (const g of groups) for (const u of g.units) groupOf.set(u, g);
  return { model, groups, members, groupOf, fixups: p.fixups };
}

/**
 * A removed channel must be exactly zero wherever it is mixed into others (a Conv's input), or the
 * pruned model would differ from the soft-pruned one; channels after Sigmoid (0.5 at zero) are not.
 */
function blockNonZeroContractions(p: ChannelPropagation): void {
  const zero = new Map<Value, boolean>();
  const isZero = (v: Value | null | undefined): boolean => {
    if (!v) return false;
    const known = zero.get(v);
    if (known !== undefined) return known;
    const c = v.constant;
    if (!c) return false;
    const roles = p.roles.get(v);
    return roles ? [...roles.values()].some((r) => ZEROED_ROLES.has(r)) : allZero(c);
  };
  // Every node, not only those with channels: a channel shuffle's middle Transpose carries none itself.
  for (const node of p.graph.nodes) {
    const rule = isStandard(node) ? ruleFor(node.opType) : undefined;
    const z = rule?.zero?.(node, isZero) ?? false;
    for (const o of node.outputs) if (o) zero.set(o, z);
  }
  for (const [node, values] of p.contractions) {
    for (const v of values) {
      if (!isZero(v)) p.blockValues(node, `removed channels of '${v.name}' would not be zero here (an op before it maps 0 to something else)`, [v]);
    }
  }
}

function allZero(t: Tensor): boolean {
  if (t.size > 4096) return false;
  try {
    return t.toNumbers().every((x) => x === 0);
  } catch {
    return false;
  }
}

/** Units that lie on the same set of tensor axes form a group. */
function formGroups(p: ChannelPropagation, members: readonly ChannelMember[]): ChannelGroup[] {
  const touches = new Map<UnitId, number[]>();
  members.forEach((m, i) => {
    for (const u of m.units) {
      const list = touches.get(u);
      if (!list) touches.set(u, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    }
  });
  const bySignature = new Map<string, UnitId[]>();
  for (const u of [...touches.keys()].sort((a, b) => a - b)) {
    const key = touches.get(u)!.join(',');
    const list = bySignature.get(key);
    if (list) list.push(u);
    else bySignature.set(key, [u]);
  }
  const groups: ChannelGroup[] = [];
  for (const units of bySignature.values()) {
    const inGroup = new Set(units);
    const groupMembers = touches.get(units[0])!.map((i) => members[i]);
    const blocked = new Set<string>();
    const fixed = new Set<string>();
    for (const u of units) {
      for (const r of p.sets.blockReasons(u) ?? []) blocked.add(r);
      for (const r of p.sets.fixReasons(u) ?? []) fixed.add(r);
    }
    const activations = groupMembers.filter((m) => m.role === 'activation');
    const layerOutputs = activations.filter((m) => m.value.producer && SEED_OPS.has(m.value.producer.opType));
    const channels = Math.max(units.length, ...layerOutputs.map((m) => m.units.filter((u) => inGroup.has(u)).length));
    const sources = layerOutputs.map((m) => m.value.producer!);
    groups.push({
      id: groups.length,
      units,
      members: groupMembers,
      sources: [...new Set(sources)],
      status: fixed.size ? 'fixed' : blocked.size ? 'blocked' : 'prunable',
      reasons: [...fixed, ...blocked],
      channels,
      label: groupLabel(sources, activations),
    });
  }
  return groups;
}

function groupLabel(sources: readonly Node[], activations: readonly ChannelMember[]): string {
  const names = [...new Set(sources.map((n) => n.name || n.outputs[0]?.name || n.opType))];
  if (names.length) return names.length > 1 ? `${names[0]} (+${names.length - 1} coupled)` : names[0];
  return activations[0] ? `'${activations[0].value.name}'` : 'constants';
}

/**
 * Apply a decision: physically remove the chosen units (slice every constant in their groups,
 * shrink declared shapes, run the nodes' fixups for attributes and shape constants, drop what became
 * dead), or soft-prune them (zero the slices that make a removed channel exactly zero: producer
 * filters, biases, BatchNorm scale and shift).
 */
import type { Graph } from '../../src/ir/graph.js';
import type { Node } from '../../src/ir/node.js';
import type { Tensor } from '../../src/ir/tensor.js';
import type { Value } from '../../src/ir/value.js';
import type { ChannelAnalysis, ChannelMember } from '../channel-groups.js';
import { ApplyContext, UnitId, ZEROED_ROLES } from '../channel-groups/types.js';
import { sliceAxis, zeroAxis } from './tensor-slice.js';

export type ApplyMode = 'remove' | 'zero';

export function applySelection(analysis: ChannelAnalysis, removed: ReadonlySet<UnitId>, mode: ApplyMode): void {
  if (!removed.size) return;
  if (mode === 'zero') return zeroChannels(analysis, removed);
  const graph = analysis.model.graph;
  const keeps = new Map<Value, Map<number, number[]>>();
  const changed = new Set<Value>();
  for (const m of analysis.members) {
    const kept = keptIndices(m, removed);
    let byAxis = keeps.get(m.value);
    if (!byAxis) keeps.set(m.value, (byAxis = new Map()));
    byAxis.set(m.axis, kept);
    if (kept.length !== m.units.length) changed.add(m.value);
  }
  for (const v of changed) {
    const byAxis = keeps.get(v)!;
    const c = v.constant;
    if (c) {
      let t = c;
      // Outer axes first: their blocks are long, and the inner slicing then copies less.
      for (const [axis, kept] of [...byAxis].sort((a, b) => a[0] - b[0])) if (kept.length !== t.dims[axis]) t = sliceAxis(t, axis, kept);
      replaceConstant(v, t);
    } else if (v.type?.kind === 'tensor' && v.type.shape) {
      const shape = v.type.shape;
      v.type = { ...v.type, shape: shape.map((d, k) => (typeof d === 'number' && byAxis.has(k) ? byAxis.get(k)!.length : d)) };
    }
  }
  const dead = new Set<Node>();
  const ctx: ApplyContext = {
    graph,
    keep: (v, axis) => (v ? keeps.get(v)?.get(axis) : undefined),
    changed: (v) => !!v && changed.has(v),
    setInputConstant: (node, index, tensor) => setInputConstant(graph, node, index, tensor, dead),
    maybeDead: (node) => node && dead.add(node),
  };
  for (const [, fixups] of analysis.fixups) for (const f of fixups) f(ctx);
  removeDead(graph, dead);
}

function keptIndices(m: ChannelMember, removed: ReadonlySet<UnitId>): number[] {
  const kept: number[] = [];
  m.units.forEach((u, i) => removed.has(u) || kept.push(i));
  return kept;
}

function zeroChannels(analysis: ChannelAnalysis, removed: ReadonlySet<UnitId>): void {
  const zeroed = new Map<Value, Tensor>();
  for (const m of analysis.members) {
    const c = zeroed.get(m.value) ?? m.value.constant;
    if (!c || !ZEROED_ROLES.has(m.role)) continue;
    const indices = m.units.flatMap((u, i) => (removed.has(u) ? [i] : []));
    if (indices.length) zeroed.set(m.value, zeroAxis(c, m.axis, indices));
  }
  for (const [v, t] of zeroed) replaceConstant(v, t);
}

function replaceConstant(v: Value, t: Tensor): void {
  t.name = v.name;
  if (v.type?.kind === 'tensor') v.type = { ...v.type, shape: [...t.dims] };
  if (v.initializer) {
    v.initializer = t;
    return;
  }
  v.producer!.setAttr({ name: 'value', type: 'tensor', value: t });
}

function setInputConstant(graph: Graph, node: Node, index: number, tensor: Tensor, dead: Set<Node>): void {
  const old = node.inputs[index];
  const value = graph.addInitializer(graph.uniqueName(`${node.name || node.opType}_input${index}`), tensor);
  const inputs = [...node.inputs];
  while (inputs.length <= index) inputs.push(null);
  inputs[index] = value;
  node.setInputs(inputs);
  if (old?.producer) dead.add(old.producer);
  else if (old) dropUnusedInitializer(graph, old);
}

/** Remove nodes whose outputs nothing uses any more, and then what only they used. */
function removeDead(graph: Graph, candidates: Set<Node>): void {
  const work = [...candidates];
  while (work.length) {
    const node = work.pop()!;
    if (!graph.nodes.includes(node) || node.outputs.some((v) => v && (v.users.length || v.isGraphOutput))) continue;
    const inputs = node.inputs.filter((v): v is Value => !!v);
    graph.removeNode(node);
    for (const v of inputs) {
      if (v.producer) work.push(v.producer);
      else dropUnusedInitializer(graph, v);
    }
  }
}

function dropUnusedInitializer(graph: Graph, v: Value): void {
  if (v.initializer && v.graph === graph && !v.users.length && !v.isGraphInput && !v.isGraphOutput) graph.removeInitializer(v);
}

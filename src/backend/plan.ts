/**
 * Lowering shared by all back ends: a graph becomes a schedule — kernel invocations in order, each
 * reading and writing numbered value slots — with the live range of every slot, from which buffers
 * are assigned (buffer-assignment.ts) and dead values released. A back end may fuse: a node whose
 * only data input is the sole output of the node before it, read by nothing else (Conv → Relu), runs
 * inside that node's kernel as an epilogue, and the value between them gets no slot at all.
 */
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import type { Tensor } from '../ir/tensor.js';
import { allInputs, topologicalOrder } from '../ir/topo.js';
import type { Value } from '../ir/value.js';

export interface ScheduledStep {
  node: Node;
  /** Nodes fused into this step, applied in order to its output (each reads the previous one's output as input 0; other inputs constant). */
  epilogue: readonly Node[];
  /** Slot of each direct input, -1 where the optional input is missing. */
  inputs: Int32Array;
  /** Slot of each output, -1 where the optional output is not requested. */
  outputs: Int32Array;
  /** Every slot the step reads, including values its subgraphs capture from this graph. */
  deps: Int32Array;
  /** Intermediate slots read for the last time here (or never read): drop them after this step. */
  release: Int32Array;
}

export interface Schedule {
  graph: Graph;
  /** Slot → value. */
  values: Value[];
  slotOf: Map<Value, number>;
  /** Slots of graph.inputs, in order. */
  inputSlots: number[];
  /** Constant slots (initializers that are not inputs), filled before every run. */
  constants: { slot: number; tensor: Tensor }[];
  /** Input slots with an initializer as their default, used when the caller feeds nothing. */
  defaults: { slot: number; tensor: Tensor }[];
  /** Slots of values from enclosing graphs that this graph's nodes read directly. */
  capturedSlots: number[];
  outputSlots: number[];
  steps: ScheduledStep[];
  /** Step defining each slot; -1 for inputs, constants and captured values. */
  firstStep: Int32Array;
  /** Last step reading each slot; steps.length for graph outputs. */
  lastStep: Int32Array;
}

/** Whether a back end's kernel for `producer` can also compute `consumer` (a candidate the schedule found fusable in structure). */
export type FusionRule = (producer: Node, consumer: Node) => boolean;

/** The node that alone reads `node`'s sole output as its input 0, with constant other inputs, when that output is not a graph output. */
function soleConsumer(node: Node, graph: Graph): Node | null {
  if (node.outputs.length !== 1 || !node.outputs[0]) return null;
  const v = node.outputs[0];
  if (v.isGraphOutput || v.users.length !== 1) return null;
  const consumer = v.users[0];
  if (consumer.graph !== graph || consumer.inputs[0] !== v || consumer.subgraphs().length > 0) return null;
  const othersConstant = consumer.inputs.every((x, i) => i === 0 || x === null || x.constant !== null);
  return othersConstant && consumer.outputs.length === 1 && consumer.outputs[0] ? consumer : null;
}

/** Each node with the consumers the rule fuses into it (in order); fused consumers are left out of the order. */
function fuseOrder(order: readonly Node[], graph: Graph, fuse: FusionRule | undefined): { node: Node; epilogue: Node[] }[] {
  if (!fuse) return order.map((node) => ({ node, epilogue: [] }));
  const absorbed = new Set<Node>();
  const fused: { node: Node; epilogue: Node[] }[] = [];
  for (const node of order) {
    if (absorbed.has(node)) continue;
    const epilogue: Node[] = [];
    for (let last = node, next = soleConsumer(last, graph); next && fuse(node, next); last = next, next = soleConsumer(last, graph)) {
      epilogue.push(next);
      absorbed.add(next);
    }
    fused.push({ node, epilogue });
  }
  return fused;
}

export function scheduleGraph(graph: Graph, fuse?: FusionRule): Schedule {
  const values: Value[] = [];
  const slotOf = new Map<Value, number>();
  const slot = (v: Value): number => {
    let s = slotOf.get(v);
    if (s === undefined) {
      s = values.length;
      values.push(v);
      slotOf.set(v, s);
    }
    return s;
  };
  const inputSlots = graph.inputs.map(slot);
  const constants: Schedule['constants'] = [];
  const defaults: Schedule['defaults'] = [];
  for (const v of graph.initializers) {
    if (!v.initializer) continue;
    (v.isGraphInput ? defaults : constants).push({ slot: slot(v), tensor: v.initializer });
  }
  const order = topologicalOrder(graph);
  const produced = new Set<Value>();
  for (const node of order) for (const v of node.outputs) if (v) produced.add(v);
  const fused = fuseOrder(order, graph, fuse);
  const capturedSlots: number[] = [];
  const known = (v: Value): number => {
    const had = slotOf.has(v);
    const s = slot(v);
    if (!had && !produced.has(v) && !graph.owns(v)) capturedSlots.push(s);
    return s;
  };
  const steps: ScheduledStep[] = fused.map(({ node, epilogue }) => ({
    node,
    epilogue,
    inputs: Int32Array.from(node.inputs, (v) => (v ? known(v) : -1)),
    outputs: Int32Array.from((epilogue.at(-1) ?? node).outputs, (v) => (v ? slot(v) : -1)),
    deps: Int32Array.from(new Set(allInputs(node).map(known))),
    release: new Int32Array(0),
  }));
  const outputSlots = graph.outputs.map(known);
  const firstStep = new Int32Array(values.length).fill(-1);
  const lastStep = new Int32Array(values.length).fill(-1);
  steps.forEach((step, i) => {
    for (const s of step.outputs) if (s >= 0) firstStep[s] = i;
    for (const s of step.deps) lastStep[s] = i;
  });
  for (const s of outputSlots) lastStep[s] = steps.length;
  const releases: number[][] = steps.map(() => []);
  for (let s = 0; s < values.length; s++) {
    if (firstStep[s] < 0 || lastStep[s] === steps.length) continue;
    releases[Math.max(firstStep[s], lastStep[s])].push(s);
  }
  steps.forEach((step, i) => (step.release = Int32Array.from(releases[i])));
  return { graph, values, slotOf, inputSlots, constants, defaults, capturedSlots, outputSlots, steps, firstStep, lastStep };
}

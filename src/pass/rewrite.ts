import type { Graph } from '../ir/graph.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import { Tensor } from '../ir/tensor.js';
import { tensorType } from '../ir/types.js';
import type { Value } from '../ir/value.js';

/**
 * Edits that passes share, done so that graph outputs keep their names and the cost stays linear:
 * removed nodes are collected and dropped from their graphs in one sweep by `flush`.
 */
export class Rewriter {
  private readonly dead = new Map<Graph, Set<Node>>();
  private subgraphs: Graph[] | undefined;

  constructor(readonly model: Model) {}

  /**
   * Make every use of `from` a use of `to` (which must be visible wherever `from` is used). A graph
   * output keeps its name: its defining node is rewired to produce it (`to` is renamed away), or it
   * becomes an initializer when `to` is a constant. False when that is impossible (`to` is a graph
   * input or another output); then nothing changed.
   */
  replaceValue(from: Value, to: Value): boolean {
    if (from === to) return false;
    if (from.isGraphOutput) {
      if (!this.takeOverOutput(from, to)) return false;
    } else {
      from.graph.replaceAllUses(from, to);
    }
    this.replaceInSubgraphOutputs(from, to);
    return true;
  }

  /**
   * Make `value` (now produced by a node) an initializer holding `tensor`'s data; its uses stay as
   * they are. The tensor object is not adopted, since it may be another value's (an evaluator may
   * return its input).
   */
  makeConstant(value: Value, tensor: Tensor): void {
    const producer = value.producer;
    if (producer) producer.setOutputs(producer.outputs.map((v) => (v === value ? null : v)));
    if (value.type) value.type = tensorType(tensor.dtype, [...tensor.dims]);
    value.graph.addInitializer(value.name, new Tensor(tensor.dtype, tensor.dims, tensor.data));
  }

  /**
   * Schedule a node for removal; its outputs must be unused by the time `flush` runs. Its inputs
   * are released now, so that use counts seen by the rest of the pass no longer include it.
   */
  remove(node: Node): void {
    node.setInputs([]);
    let set = this.dead.get(node.graph);
    if (!set) this.dead.set(node.graph, (set = new Set()));
    set.add(node);
  }

  isRemoved(node: Node): boolean {
    return this.dead.get(node.graph)?.has(node) ?? false;
  }

  /** Drop the scheduled nodes, forgetting outputs that nothing defines or uses any more. */
  flush(): void {
    for (const [graph, set] of this.dead) {
      graph.nodes = graph.nodes.filter((n) => !set.has(n));
      for (const node of set) {
        const outs = node.outputs;
        node.detach();
        for (const sg of node.subgraphs()) for (const g of sg.allGraphs()) for (const inner of g.nodes) inner.detach();
        for (const v of outs) if (v && isOrphan(v)) graph.forget(v);
      }
    }
    this.dead.clear();
  }

  private takeOverOutput(from: Value, to: Value): boolean {
    const graph = from.graph;
    const producer = to.producer;
    if (producer && to.graph === graph && !to.isGraphOutput) {
      const old = from.producer;
      if (old) old.setOutputs(old.outputs.map((v) => (v === from ? null : v)));
      producer.setOutputs(producer.outputs.map((v) => (v === to ? from : v)));
      graph.replaceAllUses(to, from);
      this.replaceInSubgraphOutputs(to, from);
      graph.forget(to);
      return true;
    }
    const constant = to.constant;
    if (constant && !producer && to.graph === graph) {
      this.makeConstant(from, constant);
      return true;
    }
    return false;
  }

  /** Subgraph outputs may name an enclosing graph's value directly; they are not in any use list. */
  private replaceInSubgraphOutputs(from: Value, to: Value): void {
    this.subgraphs ??= [...this.model.graph.allGraphs()].slice(1);
    for (const g of this.subgraphs) if (g !== from.graph && g.outputs.includes(from)) g.outputs = g.outputs.map((v) => (v === from ? to : v));
  }
}

function isOrphan(v: Value): boolean {
  return !v.producer && !v.initializer && v.users.length === 0 && !v.isGraphInput && !v.isGraphOutput;
}

/** Nodes of the ONNX domains, whose semantics the passes know; anything else is left alone. */
export function isStandard(node: Node): boolean {
  return node.domain === '' || node.domain === 'ai.onnx';
}

/** Uses of a value, a graph output counting as one. */
export function userCount(v: Value): number {
  return v.users.length + (v.isGraphOutput ? 1 : 0);
}

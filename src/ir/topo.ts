import { ShearsError } from '../error.js';
import type { Graph } from './graph.js';
import type { Node } from './node.js';
import type { Value } from './value.js';

/** Values from enclosing scopes that a node's subgraphs read: implicit inputs of the node. */
export function capturedValues(node: Node): Value[] {
  const out = new Set<Value>();
  const visit = (g: Graph): void => {
    for (const n of g.nodes) {
      for (const v of n.inputs) if (v && !isInside(v.graph, node)) out.add(v);
      for (const sg of n.subgraphs()) visit(sg);
    }
    for (const v of g.outputs) if (!isInside(v.graph, node)) out.add(v);
  };
  for (const sg of node.subgraphs()) visit(sg);
  return [...out];
}

/** True for values defined inside the node's own subgraphs, false for the enclosing scopes' values. */
function isInside(g: Graph, node: Node): boolean {
  for (let cur: Graph | null = node.graph; cur; cur = cur.parent) if (cur === g) return false;
  return true;
}

/** Inputs of a node including the ones its subgraphs capture from the enclosing scopes. */
export function allInputs(node: Node): Value[] {
  const direct = node.inputs.filter((v): v is Value => v !== null);
  return node.subgraphs().length ? [...direct, ...capturedValues(node)] : direct;
}

/**
 * The graph's nodes in a topological order that keeps the current order wherever it is already
 * valid (Kahn's algorithm, smallest index first). A cycle is an error naming a node on it.
 */
export function topologicalOrder(g: Graph): Node[] {
  const nodes = g.nodes;
  const index = new Map<Node, number>();
  nodes.forEach((n, i) => index.set(n, i));
  const pending = new Array<number>(nodes.length).fill(0);
  const dependents: number[][] = nodes.map(() => []);
  let sorted = true;
  nodes.forEach((n, i) => {
    for (const v of allInputs(n)) {
      const p = v.producer ? index.get(v.producer) : undefined;
      if (p === undefined) continue;
      pending[i]++;
      dependents[p].push(i);
      if (p >= i) sorted = false;
    }
  });
  if (sorted) return nodes;
  const ready = new MinHeap();
  pending.forEach((c, i) => c === 0 && ready.push(i));
  const order: Node[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(nodes[i]);
    for (const d of dependents[i]) if (--pending[d] === 0) ready.push(d);
  }
  if (order.length !== nodes.length) {
    const stuck = nodes.find((_, i) => pending[i] > 0)!;
    throw new ShearsError('E_MODEL_INVALID', `the graph has a cycle through ${stuck.opType} node '${stuck.name}'`, { node: stuck.name });
  }
  return order;
}

class MinHeap {
  private items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(x: number): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= a[i]) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }
  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

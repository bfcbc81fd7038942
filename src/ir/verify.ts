import { ShearsError } from '../error.js';
import type { Graph } from './graph.js';
import type { Model } from './model.js';
import { checkDeclaredTypes, inferModelTypes } from './infer/index.js';
import { describe } from './node.js';
import type { Node } from './node.js';
import { capturedValues } from './topo.js';
import type { Value } from './value.js';

/**
 * What a valid IR is: every value defined exactly once and before its first use (nodes in
 * topological order, subgraph captures included), use lists that match the nodes' inputs,
 * initializers that belong to their graph, graph outputs that exist — and declared types (graph
 * inputs/outputs, value_info) that shape inference does not contradict.
 */
export function verifyGraph(graph: Graph): string[] {
  const problems: string[] = [];
  const sets = new Map<Graph, Set<Node>>();
  const members = (g: Graph): Set<Node> => sets.get(g) ?? sets.set(g, new Set(g.nodes)).get(g)!;
  checkGraph(graph, problems, members);
  return problems;
}

export interface VerifyOptions {
  /** Also check declared types against shape inference (default true). */
  types?: boolean;
}

export function verifyModel(model: Model, options: VerifyOptions = {}): string[] {
  const problems = verifyGraph(model.graph);
  for (const f of model.functions) for (const p of verifyGraph(f.body)) problems.push(`function '${f.name}': ${p}`);
  if (problems.length === 0 && options.types !== false) problems.push(...checkDeclaredTypes(model.graph, inferModelTypes(model)));
  return problems;
}

export function assertValid(model: Model, context = 'the model'): void {
  const problems = verifyModel(model);
  if (problems.length === 0) return;
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  throw new ShearsError('E_MODEL_INVALID', `${context} is not a valid graph: ${problems.slice(0, 5).join('; ')}${more}`);
}

function checkGraph(g: Graph, problems: string[], members: (g: Graph) => Set<Node>): void {
  const defined = new Set<Value>();
  const visible = (v: Value): boolean => {
    if (defined.has(v)) return true;
    for (let p = g.parent; p; p = p.parent) if (p === v.graph) return p.owns(v);
    return false;
  };
  const label = g.name ? `graph '${g.name}'` : 'graph';

  for (const v of g.inputs) {
    if (v.graph !== g || !g.owns(v)) problems.push(`${label}: input '${v.name}' does not belong to this graph`);
    if (v.producer) problems.push(`'${v.name}' is both a graph input and the output of ${describe(v.producer)}`);
    defined.add(v);
  }
  for (const v of g.initializers) {
    if (!v.initializer) problems.push(`'${v.name}' is listed as an initializer but holds no tensor`);
    if (v.graph !== g || !g.owns(v)) problems.push(`${label}: initializer '${v.name}' does not belong to this graph`);
    if (v.producer) problems.push(`'${v.name}' is both an initializer and the output of ${describe(v.producer)}`);
    defined.add(v);
  }
  const initializers = new Set(g.initializers);
  for (const v of g.ownValues()) {
    if (v.initializer && !initializers.has(v)) problems.push(`'${v.name}' holds a tensor but is not among the graph's initializers`);
  }

  const uses = new Map<Value, number>();
  for (const n of g.nodes) {
    if (n.graph !== g) problems.push(`${describe(n)} is listed in ${label} but belongs to another graph`);
    for (const v of n.inputs) {
      if (!v) continue;
      uses.set(v, (uses.get(v) ?? 0) + 1);
      if (!visible(v)) problems.push(`${describe(n)} uses '${v.name}' before it is defined`);
    }
    for (const v of captured(n)) if (!visible(v)) problems.push(`a subgraph of ${describe(n)} uses '${v.name}' before it is defined`);
    for (const v of n.outputs) {
      if (!v) continue;
      if (v.producer !== n) problems.push(`${describe(n)} lists output '${v.name}' whose producer is ${v.producer ? describe(v.producer) : 'nothing'}`);
      if (defined.has(v)) problems.push(`'${v.name}' is defined twice (again by ${describe(n)})`);
      if (v.graph !== g || !g.owns(v)) problems.push(`output '${v.name}' of ${describe(n)} is not registered in its graph`);
      defined.add(v);
    }
    for (const sg of n.subgraphs()) {
      if (sg.parent !== g) problems.push(`a subgraph of ${describe(n)} has the wrong parent`);
      else checkGraph(sg, problems, members);
    }
  }
  for (const [v, count] of uses) {
    const listed = v.users.filter((u) => u.graph === g).length;
    if (listed !== count) problems.push(`'${v.name}' has ${count} uses in ${label} but its use list says ${listed}`);
  }
  // The other direction: a use list may name a node that no longer uses the value or was dropped from its graph.
  for (const v of g.ownValues()) {
    const listed = new Map<Node, number>();
    for (const u of v.users) listed.set(u, (listed.get(u) ?? 0) + 1);
    for (const [u, times] of listed) {
      const used = u.inputs.filter((x) => x === v).length;
      if (used !== times) problems.push(`'${v.name}' lists ${describe(u)} as a user ${times} times but that node uses it ${used} times`);
      else if (!members(u.graph).has(u)) problems.push(`'${v.name}' lists ${describe(u)} as a user but that node is not in its graph`);
    }
  }
  for (const v of g.outputs) if (!visible(v)) problems.push(`${label}: output '${v.name}' is not defined`);
}

function captured(n: Node): Value[] {
  return n.subgraphs().length ? capturedValues(n) : [];
}

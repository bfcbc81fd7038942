import { ShearsError } from '../error.js';
import type { Attribute } from './attribute.js';
import { Node } from './node.js';
import type { Tensor } from './tensor.js';
import type { ValueType } from './types.js';
import { Value } from './value.js';

export interface NodeSpec {
  opType: string;
  inputs: readonly (Value | null)[];
  /** Output values to define: a Value made with `graph.createValue`, or a name for a new one. */
  outputs: readonly (Value | string | null)[];
  attributes?: Attribute[];
  domain?: string;
  name?: string;
  /** Insert before this node; default: at the end. */
  before?: Node;
}

/**
 * A graph (the main graph, a subgraph of If/Loop/Scan, or a function body). Nodes are kept in
 * topological order. Subgraphs see their enclosing graphs' values by name, as ONNX scoping says.
 */
export class Graph {
  name = '';
  docString = '';
  inputs: Value[] = [];
  outputs: Value[] = [];
  nodes: Node[] = [];
  /** Values that carry an initializer tensor, in file order. */
  initializers: Value[] = [];
  /** value_info entries the file declared without any other role (kept for round trips). */
  private readonly scope = new Map<string, Value>();
  private readonly names: Set<string>;

  constructor(
    readonly parent: Graph | null = null,
    /** Opset imports of a model or function; subgraphs inherit their parent's. */
    readonly opsets: Map<string, number> | null = null,
  ) {
    this.names = parent ? parent.names : new Set();
  }

  get root(): Graph {
    return this.parent ? this.parent.root : this;
  }

  get depth(): number {
    return this.parent ? this.parent.depth + 1 : 0;
  }

  opsetFor(domain: string): number {
    const key = domain === 'ai.onnx' ? '' : domain;
    const own = this.opsets?.get(key);
    if (own !== undefined) return own;
    return this.parent ? this.parent.opsetFor(domain) : 0;
  }

  /** The value visible under `name` here: defined in this graph or in an enclosing one. */
  lookup(name: string): Value | undefined {
    return this.scope.get(name) ?? this.parent?.lookup(name);
  }

  /** Values defined directly in this graph. */
  ownValues(): IterableIterator<Value> {
    return this.scope.values();
  }

  owns(value: Value): boolean {
    return this.scope.get(value.name) === value;
  }

  createValue(name: string, type?: ValueType): Value {
    if (this.scope.has(name)) {
      throw new ShearsError('E_MODEL_INVALID', `'${name}' is defined twice in graph '${this.name}'`, { tensor: name });
    }
    const v = new Value(this, name, type);
    this.scope.set(name, v);
    this.names.add(name);
    return v;
  }

  /** A name not used anywhere in the model, derived from `base`. */
  uniqueName(base: string): string {
    if (!this.names.has(base)) return base;
    for (let i = 1; ; i++) {
      const candidate = `${base}_${i}`;
      if (!this.names.has(candidate)) return candidate;
    }
  }

  addInput(name: string, type?: ValueType): Value {
    const v = this.createValue(name, type);
    this.inputs.push(v);
    return v;
  }

  addInitializer(name: string, tensor: Tensor): Value {
    const v = this.scope.get(name) ?? this.createValue(name);
    if (v.initializer) throw new ShearsError('E_MODEL_INVALID', `initializer '${name}' is defined twice`, { tensor: name });
    if (v.producer) throw new ShearsError('E_MODEL_INVALID', `initializer '${name}' is also produced by a node`, { tensor: name });
    v.initializer = tensor;
    tensor.name = name;
    this.initializers.push(v);
    return v;
  }

  /** Drop an initializer, and its value unless it is also a graph input. */
  removeInitializer(value: Value): void {
    this.initializers = this.initializers.filter((v) => v !== value);
    value.initializer = null;
    if (!value.isGraphInput) this.forget(value);
  }

  addNode(spec: NodeSpec): Node {
    const node = new Node(this, spec.opType, spec.domain ?? '', spec.name ?? '', spec.attributes ?? []);
    node.setInputs(spec.inputs);
    node.setOutputs(spec.outputs.map((o) => (typeof o === 'string' ? this.createValue(o) : o)));
    this.insertNode(node, spec.before);
    return node;
  }

  insertNode(node: Node, before?: Node): void {
    const at = before ? this.nodes.indexOf(before) : -1;
    if (at < 0) this.nodes.push(node);
    else this.nodes.splice(at, 0, node);
  }

  /** Remove a node whose outputs are no longer used; its output values are forgotten. */
  removeNode(node: Node): void {
    for (const out of node.outputs) {
      if (out && (out.users.length > 0 || out.isGraphOutput)) {
        throw new ShearsError('E_MODEL_INVALID', `cannot remove node '${node.name}': output '${out.name}' is still used`, { node: node.name });
      }
    }
    const i = this.nodes.indexOf(node);
    if (i >= 0) this.nodes.splice(i, 1);
    node.detach();
    for (const out of node.outputs) if (out) this.forget(out);
  }

  /** Make every user of `from` (and graph outputs) use `to` instead. */
  replaceAllUses(from: Value, to: Value): void {
    for (const user of [...from.users]) {
      user.inputs.forEach((v, i) => {
        if (v === from) user.setInput(i, to);
      });
    }
    for (let g: Graph | null = from.graph; g; g = null) {
      g.outputs = g.outputs.map((v) => (v === from ? to : v));
    }
  }

  /** This graph and all nested subgraphs, outermost first. */
  *allGraphs(): Generator<Graph> {
    yield this;
    for (const n of this.nodes) for (const g of n.subgraphs()) yield* g.allGraphs();
  }

  /** Drop a value that nothing defines or uses any more, freeing its name (passes that rewire outputs). */
  forget(value: Value): void {
    if (this.scope.get(value.name) === value) this.scope.delete(value.name);
    this.names.delete(value.name);
  }
}

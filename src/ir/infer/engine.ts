import type { DType } from '../dtype.js';
import type { Graph } from '../graph.js';
import { calledFunction, type FunctionDef } from '../model.js';
import type { Node } from '../node.js';
import { elementCount } from '../tensor.js';
import { topologicalOrder } from '../topo.js';
import type { Dim, ValueType } from '../types.js';
import type { Value } from '../value.js';
import type { RuleContext, RuleResult, SubgraphResult } from './context.js';
import { evaluatorFor } from './evaluate/registry.js';
import { KnownValue, MAX_KNOWN_ELEMENTS, knownFromTensor } from './known-value.js';
import { ruleFor } from './registry.js';

export interface EngineOptions {
  /** Model-local functions a node may call. */
  functions?: readonly FunctionDef[];
  /** Told about every rule that threw; the node's outputs are then left unknown. */
  onRuleError?: (node: Node, error: unknown) => void;
}

/** Nesting bound for subgraphs and function calls, so a hostile model cannot exhaust the stack. */
const MAX_DEPTH = 64;

/** One inference run: the types and known contents of every value it reached. */
export class Inference {
  readonly types = new Map<Value, ValueType>();
  readonly values = new Map<Value, KnownValue>();
  private depth = 0;
  private readonly activeFunctions: Set<FunctionDef>;

  constructor(private readonly options: EngineOptions, activeFunctions: Set<FunctionDef> = new Set()) {
    this.activeFunctions = activeFunctions;
  }

  /** Type `graph` given its inputs' types and contents (undefined: use the declared type / nothing). */
  graph(graph: Graph, inputs: readonly (ValueType | undefined)[], inputValues: readonly (KnownValue | undefined)[] = []): SubgraphResult {
    if (this.depth >= MAX_DEPTH) return { types: graph.outputs.map(() => undefined), values: graph.outputs.map(() => undefined) };
    this.depth++;
    try {
      graph.inputs.forEach((v, i) => {
        this.set(v, inputs[i] ?? v.type ?? initializerType(v), inputValues[i]);
      });
      for (const v of graph.initializers) {
        if (v.isGraphInput) continue;
        this.set(v, initializerType(v), v.constant ? knownFromTensor(v.constant) : undefined);
      }
      for (const node of nodeOrder(graph)) this.node(node);
      return {
        types: graph.outputs.map((v) => this.types.get(v)),
        values: graph.outputs.map((v) => this.values.get(v)),
      };
    } finally {
      this.depth--;
    }
  }

  private node(node: Node): void {
    const ctx = new Context(this, node);
    let types: (ValueType | undefined)[] = [];
    try {
      const rule = ruleFor(node.domain, node.opType);
      types = asList(rule ? rule(ctx) : this.callFunction(node, ctx));
    } catch (e) {
      this.options.onRuleError?.(node, e);
    }
    node.outputs.forEach((v, i) => v && this.setType(v, sanitize(types[i])));
    let values: (KnownValue | undefined)[] = [];
    const evaluate = evaluatorFor(node.domain, node.opType);
    if (evaluate) {
      try {
        values = asList(evaluate(ctx));
      } catch (e) {
        this.options.onRuleError?.(node, e);
      }
    }
    node.outputs.forEach((v, i) => v && this.setValue(v, checkKnown(values[i])));
  }

  /** A call of a model-local function: infer its body with the call's input types. */
  private callFunction(node: Node, ctx: RuleContext): RuleResult {
    const f = calledFunction(this.options.functions, node);
    if (!f || this.activeFunctions.has(f) || this.depth >= MAX_DEPTH || usesCallerAttributes(f.body)) return undefined;
    this.activeFunctions.add(f);
    try {
      const inner = new Inference(this.options, this.activeFunctions);
      inner.depth = this.depth;
      const inputs = f.body.inputs.map((_, i) => ctx.type(i));
      return inner.graph(f.body, inputs, f.body.inputs.map((_, i) => ctx.value(i))).types;
    } finally {
      this.activeFunctions.delete(f);
    }
  }

  private set(v: Value, type: ValueType | undefined, value: KnownValue | undefined): void {
    this.setType(v, type);
    this.setValue(v, value);
  }

  private setType(v: Value, type: ValueType | undefined): void {
    if (type) this.types.set(v, type);
    else this.types.delete(v);
  }

  private setValue(v: Value, value: KnownValue | undefined): void {
    if (value) this.values.set(v, value);
    else this.values.delete(v);
  }
}

class Context implements RuleContext {
  constructor(private readonly engine: Inference, readonly node: Node) {}

  get opset(): number {
    return this.node.opset;
  }

  get inputCount(): number {
    return this.node.inputs.length;
  }

  has(i: number): boolean {
    return this.node.inputs[i] != null;
  }

  type(i: number): ValueType | undefined {
    const v = this.node.inputs[i];
    return v ? this.engine.types.get(v) : undefined;
  }

  dtype(i: number): DType | undefined {
    const t = this.type(i);
    return t?.kind === 'tensor' ? t.dtype : undefined;
  }

  shape(i: number): Dim[] | undefined {
    const t = this.type(i);
    return t?.kind === 'tensor' && t.shape ? [...t.shape] : undefined;
  }

  value(i: number): KnownValue | undefined {
    const v = this.node.inputs[i];
    return v ? this.engine.values.get(v) : undefined;
  }

  ints(i: number): number[] | undefined {
    const k = this.value(i);
    return k && k.data.every((d) => typeof d === 'number') ? (k.data as number[]) : undefined;
  }

  subgraph(graph: Graph, inputs: readonly (ValueType | undefined)[], values?: readonly (KnownValue | undefined)[]): SubgraphResult {
    return this.engine.graph(graph, inputs, values);
  }
}

function asList<T>(r: T | undefined | readonly (T | undefined)[]): (T | undefined)[] {
  if (r === undefined) return [];
  return Array.isArray(r) ? [...(r as (T | undefined)[])] : [r as T];
}

function nodeOrder(graph: Graph): Node[] {
  try {
    return topologicalOrder(graph);
  } catch {
    return graph.nodes;
  }
}

function initializerType(v: Value): ValueType | undefined {
  const t = v.initializer;
  return t ? { kind: 'tensor', dtype: t.dtype, shape: [...t.dims] } : undefined;
}

/** Rules compute sizes; a bug or a hostile attribute must not leave NaN or -3 in a shape. */
function sanitize(type: ValueType | undefined): ValueType | undefined {
  if (!type) return undefined;
  switch (type.kind) {
    case 'tensor':
    case 'sparse_tensor':
      if (!type.shape) return type;
      return { ...type, shape: type.shape.map((d) => (typeof d === 'string' || (Number.isSafeInteger(d) && (d as number) >= 0) ? d : null)) };
    case 'sequence':
    case 'optional': {
      const elem = sanitize(type.elem);
      return elem ? { kind: type.kind, elem } : { kind: type.kind };
    }
    case 'map':
      return type;
  }
}

function checkKnown(v: KnownValue | undefined): KnownValue | undefined {
  if (!v || v.data.length > MAX_KNOWN_ELEMENTS) return undefined;
  return elementCount(v.dims) === v.data.length ? v : undefined;
}

/** A function body whose attributes refer to the caller's cannot be typed without binding them. */
function usesCallerAttributes(body: Graph): boolean {
  for (const g of body.allGraphs()) for (const n of g.nodes) if (n.attributes.some((a) => a.refAttrName)) return true;
  return false;
}

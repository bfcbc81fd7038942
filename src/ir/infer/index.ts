/**
 * Shape and type inference: an analysis over the IR, one rule per op (see registry.ts). It never
 * changes the graph and never invents a static size: what it cannot know is a symbolic name taken
 * from the inputs or null. Small integer tensors (shape computations) are partially evaluated so
 * that Shape → Gather → Concat → Reshape chains resolve.
 */
import type { Graph } from '../graph.js';
import type { Model } from '../model.js';
import type { Node } from '../node.js';
import type { Tensor } from '../tensor.js';
import type { ValueType } from '../types.js';
import type { Value } from '../value.js';
import { Inference } from './engine.js';
import { KnownValue, knownFromTensor } from './known-value.js';

export { checkDeclaredTypes } from './check.js';
export type { KnownValue } from './known-value.js';
export { knownToTensor, staticData } from './known-value.js';
export type { Rule, RuleContext, Evaluator } from './context.js';
export { broadcastDim, broadcastShapes, mergeTypes } from './dims.js';

export interface InferOptions {
  /** Types to use instead of the declared ones for graph inputs, by name (e.g. a concrete batch size). */
  inputTypes?: Map<string, ValueType>;
  /** Contents of graph inputs, by name, treated as known constants (what the rules can do with values). */
  inputValues?: Map<string, Tensor>;
  /** Told about a rule that failed on a node (its outputs are then unknown); inference itself never throws. */
  onRuleError?: (node: Node, error: unknown) => void;
}

/** Everything inference learned: value types, and the contents of values it could compute. */
export interface TypeAnalysis {
  types: Map<Value, ValueType>;
  values: Map<Value, KnownValue>;
}

export function analyzeGraph(graph: Graph, options: InferOptions = {}, model?: Model): TypeAnalysis {
  const engine = new Inference({ functions: model?.functions, onRuleError: options.onRuleError });
  const types = graph.inputs.map((v) => options.inputTypes?.get(v.name) ?? v.type);
  const values = graph.inputs.map((v) => {
    const t = options.inputValues?.get(v.name);
    return t ? knownFromTensor(t) : undefined;
  });
  engine.graph(graph, types, values);
  return { types: engine.types, values: engine.values };
}

export function analyzeModel(model: Model, options: InferOptions = {}): TypeAnalysis {
  return analyzeGraph(model.graph, options, model);
}

/** The type of every value inference could type: inputs, initializers, node outputs, subgraph values. */
export function inferTypes(graph: Graph, options?: InferOptions): Map<Value, ValueType> {
  return analyzeGraph(graph, options).types;
}

/** Like `inferTypes`, with calls of the model's local functions typed through their bodies. */
export function inferModelTypes(model: Model, options?: InferOptions): Map<Value, ValueType> {
  return analyzeModel(model, options).types;
}

/** The contents inference could compute (partial evaluation of shape computations), by value. */
export function knownValues(graph: Graph, options?: InferOptions): Map<Value, KnownValue> {
  return analyzeGraph(graph, options).values;
}

import type { Model } from '../ir/model.js';
import { Inference } from '../ir/infer/engine.js';
import type { KnownValue } from '../ir/infer/known-value.js';
import type { Dim, ValueType } from '../ir/types.js';
import type { Value } from '../ir/value.js';

/** What shape inference knows about every value of a model (subgraphs included): its type, and the contents of shape computations. */
export interface ShapeAnalysis {
  types: ReadonlyMap<Value, ValueType>;
  values: ReadonlyMap<Value, KnownValue>;
}

export function analyzeShapes(model: Model): ShapeAnalysis {
  const inference = new Inference({ functions: model.functions });
  inference.graph(model.graph, []);
  return { types: inference.types, values: inference.values };
}

/** The inferred (else declared) tensor shape of a value; undefined when its rank is unknown. */
export function shapeOf(analysis: ShapeAnalysis, v: Value): Dim[] | undefined {
  const t = analysis.types.get(v) ?? v.type;
  if (t?.kind === 'tensor' && t.shape) return t.shape;
  const c = v.constant;
  return c ? [...c.dims] : undefined;
}

/** The inferred (else declared) element type of a tensor value. */
export function dtypeOf(analysis: ShapeAnalysis, v: Value): number | undefined {
  const t = analysis.types.get(v) ?? v.type;
  if (t?.kind === 'tensor') return t.dtype;
  return v.constant?.dtype;
}

import { analyzeModel, TypeAnalysis } from '../ir/infer/index.js';
import type { Dim } from '../ir/types.js';
import type { Value } from '../ir/value.js';

/** What shape inference knows about every value of a model (subgraphs included): its type, and the contents of shape computations. */
export type ShapeAnalysis = TypeAnalysis;
export const analyzeShapes = analyzeModel;

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

/**
 * Parameters and FLOPs of a model, and of the layers of each group, measured the way `shears
 * inspect` does: float constants; 2·MACs of Conv/ConvTranspose/Gemm/MatMul from inferred shapes,
 * symbolic input dims taken as 1.
 */
import { isFloat } from '../../src/ir/dtype.js';
import { nodeMacs } from '../../src/ir/cost.js';
import { inferTypes } from '../../src/ir/infer/index.js';
import type { Model } from '../../src/ir/model.js';
import type { Node } from '../../src/ir/node.js';
import { isStaticShape, ValueType } from '../../src/ir/types.js';
import type { Value } from '../../src/ir/value.js';

export interface ModelCost {
  params: number;
  flops: number;
  /** 2·MACs per Conv/Gemm/MatMul node (nodes with unknown shapes are left out). */
  nodeFlops: Map<Node, number>;
}

const COUNTED = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

export function measureModel(model: Model): ModelCost {
  const types = inferTypes(model.graph, { inputTypes: concreteInputs(model) });
  const shape = (v: Value | null): number[] | null => {
    if (!v) return null;
    const t = types.get(v) ?? v.type;
    const s = t?.kind === 'tensor' ? t.shape : v.constant?.dims;
    return isStaticShape(s) ? s : null;
  };
  const nodeFlops = new Map<Node, number>();
  let params = 0;
  for (const g of model.graph.allGraphs()) {
    for (const v of g.initializers) if (isFloat(v.initializer!.dtype)) params += v.initializer!.size;
    for (const n of g.nodes) {
      const c = n.opType === 'Constant' ? n.outputs[0]?.constant : null;
      if (c && isFloat(c.dtype)) params += c.size;
      if (!COUNTED.has(n.opType) || n.domain !== '') continue;
      const macs = nodeMacs(n, shape);
      if (macs !== null) nodeFlops.set(n, 2 * macs);
    }
  }
  let flops = 0;
  for (const f of nodeFlops.values()) flops += f;
  return { params, flops, nodeFlops };
}

function concreteInputs(model: Model): Map<string, ValueType> {
  const out = new Map<string, ValueType>();
  for (const v of model.graph.inputs) {
    if (v.type?.kind !== 'tensor' || !v.type.shape) continue;
    out.set(v.name, { ...v.type, shape: v.type.shape.map((d) => (typeof d === 'number' ? d : 1)) });
  }
  return out;
}

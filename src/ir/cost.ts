import type { Graph } from './graph.js';
import type { Node } from './node.js';
import { elementCount } from './tensor.js';
import { Dim, isStaticShape, ValueType } from './types.js';
import type { Value } from './value.js';

export interface FlopCount {
  /** MACs × 2 of Conv, ConvTranspose, Gemm and MatMul, over all graphs. */
  flops: number;
  /** Nodes of those kinds whose shapes were not static, so they are not in `flops`. */
  uncounted: number;
}

const counted = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

/** Estimated FLOPs from inferred shapes (shapes must be static to count). */
export function countFlops(graph: Graph, types: Map<Value, ValueType>): FlopCount {
  const result: FlopCount = { flops: 0, uncounted: 0 };
  for (const g of graph.allGraphs()) {
    for (const n of g.nodes) {
      if (n.domain !== '' || !counted.has(n.opType)) continue;
      const macs = nodeMacs(n, (v) => shapeOf(v, types));
      if (macs === null) result.uncounted++;
      else result.flops += 2 * macs;
    }
  }
  return result;
}

function shapeOf(v: Value | null, types: Map<Value, ValueType>): number[] | null {
  if (!v) return null;
  const t = types.get(v) ?? v.type;
  const shape: readonly Dim[] | undefined = t && t.kind === 'tensor' ? t.shape : v.constant ? v.constant.dims : undefined;
  return isStaticShape(shape) ? shape : null;
}

export function nodeMacs(n: Node, shape: (v: Value | null) => number[] | null): number | null {
  const out = shape(n.outputs[0] ?? null);
  switch (n.opType) {
    case 'Conv': {
      const w = shape(n.inputs[1]);
      if (!out || !w) return null;
      return elementCount(out) * elementCount(w.slice(1));
    }
    case 'ConvTranspose': {
      const x = shape(n.inputs[0]);
      const w = shape(n.inputs[1]);
      if (!x || !w) return null;
      return elementCount(x) * elementCount(w.slice(1));
    }
    case 'Gemm': {
      const a = shape(n.inputs[0]);
      if (!out || !a || a.length !== 2) return null;
      return elementCount(out) * (n.getInt('transA', 0) ? a[0] : a[1]);
    }
    case 'MatMul': {
      const a = shape(n.inputs[0]);
      if (!out || !a || a.length === 0) return null;
      return elementCount(out) * a[a.length - 1];
    }
    default:
      return null;
  }
}

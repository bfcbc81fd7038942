import { dtypeFromName, dtypeName, isFloat } from './dtype.js';
import { countFlops } from './cost.js';
import { inferTypes } from './infer/index.js';
import type { Model } from './model.js';
import type { Tensor } from './tensor.js';
import type { Dim, ValueType } from './types.js';

export interface TensorSummary {
  name: string;
  dtype: string;
  shape: Dim[];
}

export interface WeightSummary extends TensorSummary {
  /** `initializer`, `sparse_initializer` or `constant` (a Constant node's tensor). */
  source: 'initializer' | 'sparse_initializer' | 'constant';
  elements: number;
  bytes: number;
  /** Elements exactly equal to zero. */
  zeros: number;
  /** zeros / elements (0 for empty tensors). */
  sparsity: number;
}

/** The schema of `shears inspect --json` (documented in the README; add fields, never rename). */
export interface ModelSummary {
  irVersion: number;
  opsets: Record<string, number>;
  producer: { name: string; version: string };
  nodes: number;
  ops: Record<string, number>;
  params: number;
  bytesByDtype: Record<string, number>;
  flops: number;
  /** Conv/Gemm/MatMul nodes left out of `flops` because their shapes are not static. */
  flopsUncounted: number;
  /** Symbolic dims replaced by 1 to estimate FLOPs, e.g. {"batch": 1}. */
  flopsAssume: Record<string, number>;
  inputs: TensorSummary[];
  outputs: TensorSummary[];
  initializers: WeightSummary[];
}

export function summarizeModel(model: Model): ModelSummary {
  const ops: Record<string, number> = {};
  let nodes = 0;
  const weights: WeightSummary[] = [];
  const add = (t: Tensor, name: string, source: WeightSummary['source']): void => {
    const elements = t.size;
    const zeros = t.countZeros();
    weights.push({ name, dtype: dtypeName(t.dtype), shape: [...t.dims], source, elements, bytes: t.byteLength, zeros, sparsity: elements ? zeros / elements : 0 });
  };
  for (const g of model.graph.allGraphs()) {
    for (const v of g.initializers) add(v.initializer!, v.name, v.initializer!.storageKind === 'sparse' ? 'sparse_initializer' : 'initializer');
    for (const n of g.nodes) {
      nodes++;
      ops[n.qualifiedOp] = (ops[n.qualifiedOp] ?? 0) + 1;
      const c = n.opType === 'Constant' && n.domain === '' ? n.outputs[0]?.constant : null;
      if (c) add(c, n.outputs[0]!.name, 'constant');
    }
  }
  let params = 0;
  const bytesByDtype: Record<string, number> = {};
  for (const w of weights) {
    if (isFloat(dtypeFromName(w.dtype)!)) params += w.elements;
    bytesByDtype[w.dtype] = (bytesByDtype[w.dtype] ?? 0) + w.bytes;
  }

  const flopsAssume: Record<string, number> = {};
  const concrete = new Map<string, ValueType>();
  for (const v of model.graph.inputs) {
    if (v.type?.kind !== 'tensor' || !v.type.shape) continue;
    const shape = v.type.shape.map((d) => {
      if (typeof d === 'number') return d;
      flopsAssume[d ?? '?'] = 1;
      return 1;
    });
    concrete.set(v.name, { ...v.type, shape });
  }
  const types = inferTypes(model.graph, { inputTypes: concrete });
  const { flops, uncounted } = countFlops(model.graph, types);

  const describe = (v: { name: string; type: ValueType | undefined }): TensorSummary => {
    const t = v.type;
    const tensor = t && (t.kind === 'tensor' || t.kind === 'sparse_tensor') ? t : undefined;
    return { name: v.name, dtype: tensor ? dtypeName(tensor.dtype) : t ? t.kind : 'unknown', shape: tensor?.shape ?? [] };
  };
  const symbolic = inferTypes(model.graph);
  const declaredOutputs = model.graph.outputs.map((v) => ({ name: v.name, type: v.type ?? symbolic.get(v) }));
  return {
    irVersion: model.irVersion,
    opsets: Object.fromEntries([...model.opsets].map(([d, v]) => [d === '' ? 'ai.onnx' : d, v])),
    producer: { name: model.producerName, version: model.producerVersion },
    nodes,
    ops: Object.fromEntries(Object.entries(ops).sort(([a, x], [b, y]) => y - x || a.localeCompare(b))),
    params,
    bytesByDtype,
    flops,
    flopsUncounted: uncounted,
    flopsAssume,
    inputs: model.graph.inputs.filter((v) => !v.initializer).map(describe),
    outputs: declaredOutputs.map(describe),
    initializers: weights,
  };
}

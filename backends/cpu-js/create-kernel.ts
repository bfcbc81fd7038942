/** Instantiates a node's kernel for concrete inputs, widening float16/bfloat16 to float32 around it where the kernel asks. */
import type { MemoryMode } from '../../src/backend/backend.js';
import type { RuntimeValue } from '../../src/backend/value.js';
import { ShearsError } from '../../src/error.js';
import { DType } from '../../src/ir/dtype.js';
import type { Graph } from '../../src/ir/graph.js';
import type { Node } from '../../src/ir/node.js';
import { describe } from '../../src/ir/node.js';
import type { Tensor } from '../../src/ir/tensor.js';
import type { ValueType } from '../../src/ir/types.js';
import { isHalf, narrowToHalf, widenHalf } from './half.js';
import { findKernel, KernelRun, RunContext, SubgraphRunner } from './kernel.js';
import { allocTensor } from './tensors.js';

/** A kernel for inputs of these types (static dims), or E_UNSUPPORTED_OP when there is none. */
export function createKernel(node: Node, types: readonly (ValueType | undefined)[], subgraph: (g: Graph) => SubgraphRunner, memory: MemoryMode = 'fast', epilogue: readonly Node[] = []): KernelRun {
  const def = findKernel(node);
  if (typeof def === 'string') {
    throw new ShearsError('E_UNSUPPORTED_OP', `op ${node.qualifiedOp} (opset ${node.opset}) is not supported by cpu-js: ${def}`, { node: node.name });
  }
  const constants = node.inputs.map((v) => v?.constant ?? null);
  const half = def.widenHalf === false ? undefined : halfOf(types);
  if (half === undefined) return def.create({ node, opset: node.opset, inputTypes: types, constants, subgraph, memory, epilogue });
  const widened = new Map<Tensor, Tensor>();
  const widen = (v: RuntimeValue): RuntimeValue => (v && !Array.isArray(v) && isHalf(v.dtype) ? (widened.get(v) ?? widenHalf(v)) : v);
  const wideConstants = constants.map((c) => {
    if (!c || !isHalf(c.dtype)) return c;
    const w = widenHalf(c);
    widened.set(c, w);
    return w;
  });
  const wideTypes = types.map((t) => (t?.kind === 'tensor' && isHalf(t.dtype) ? { ...t, dtype: DType.FLOAT } : t));
  const run = def.create({ node, opset: node.opset, inputTypes: wideTypes, constants: wideConstants, subgraph, memory, epilogue });
  return (raw, ctx) => {
    const fresh: RunContext = { output: (_, dtype, dims) => allocTensor(dtype, dims), scope: ctx.scope };
    return run(raw.map(widen), fresh).map((v) => (v && !Array.isArray(v) && v.dtype === DType.FLOAT ? narrowToHalf(v, half) : v));
  };
}

/** The 16-bit float type among the inputs, if any: the kernel then computes in float32. */
function halfOf(types: readonly (ValueType | undefined)[]): DType.FLOAT16 | DType.BFLOAT16 | undefined {
  for (const t of types) if (t?.kind === 'tensor' && isHalf(t.dtype)) return t.dtype as DType.FLOAT16 | DType.BFLOAT16;
  return undefined;
}

export function kernelSupports(node: Node): true | string {
  const def = findKernel(node);
  if (typeof def === 'string') return def;
  try {
    return def.supports ? def.supports(node) : true;
  } catch (e) {
    if (e instanceof ShearsError) return e.message;
    throw new ShearsError('E_MODEL_INVALID', `${describe(node)}: ${(e as Error).message}`, { node: node.name });
  }
}

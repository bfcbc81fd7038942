/**
 * The cpu-js kernel interface and registry. A kernel is a factory: at plan time it reads the node's
 * attributes and the types of its inputs once, and returns a `run` function specialised to them
 * (attribute parsing kept apart from compute, as onnxruntime-web does). Add an op by writing one
 * file under kernels/ that calls `registerKernel`, and one import line in kernels/index.ts.
 */
import type { MemoryMode } from '../../src/backend/backend.js';
import type { RuntimeValue } from '../../src/backend/value.js';
import type { DType } from '../../src/ir/dtype.js';
import type { Graph } from '../../src/ir/graph.js';
import type { Node } from '../../src/ir/node.js';
import type { Tensor } from '../../src/ir/tensor.js';
import type { ValueType } from '../../src/ir/types.js';
import type { Value } from '../../src/ir/value.js';

export interface KernelContext {
  readonly node: Node;
  /** The opset of the node's domain in force where the node lives. */
  readonly opset: number;
  /**
   * Types of the inputs this kernel is created for, with static dims (the executor creates a
   * kernel per distinct set of input shapes, so `run` may rely on them); undefined for a missing
   * optional input. With `widenHalf`, float16/bfloat16 inputs appear here as float32.
   */
  readonly inputTypes: readonly (ValueType | undefined)[];
  /** The tensor behind each input when it is a constant (initializer or Constant node), else null: pre-pack weights here. */
  readonly constants: readonly (Tensor | null)[];
  /** 'lean': read constants in place, keeping no transformed or packed copies of them (MemoryMode). */
  readonly memory: MemoryMode;
  /** Nodes the plan fused into this one (only those the definition's `fuses` accepted), applied in order to its output. */
  readonly epilogue: readonly Node[];
  /** An executor for one of this node's subgraphs (If branches, Loop/Scan bodies). */
  subgraph(graph: Graph): SubgraphRunner;
}

/** Values of enclosing graphs, which subgraph bodies read by name. */
export interface Scope {
  get(value: Value): RuntimeValue;
}

export interface SubgraphRunner {
  /** Runs the body with its graph inputs bound to `inputs`; returns its graph outputs in order. */
  run(inputs: readonly RuntimeValue[], scope: Scope): RuntimeValue[];
}

export interface RunContext {
  /**
   * A tensor for output `index`: a view on the plan's shared arena when the buffer planner gave this
   * output a slot, a fresh allocation otherwise. Its contents are arbitrary (not zeroed). Using it is
   * optional: a kernel may also return tensors it made itself, or (views of) its inputs.
   */
  output(index: number, dtype: DType, dims: readonly number[]): Tensor;
  /** Values of the enclosing scopes, for kernels that run subgraphs. */
  readonly scope: Scope;
}

/** Computes the node's outputs (one entry per node output; null for an empty optional or an unrequested output). */
export type KernelRun = (inputs: readonly RuntimeValue[], ctx: RunContext) => RuntimeValue[];

export interface KernelDef {
  op: string;
  /** '' (the default ONNX domain) unless given. */
  domain?: string;
  /** Lowest opset this definition implements (default 1); the highest `since` not above the node's opset wins. */
  since?: number;
  /**
   * Default true: float16/bfloat16 inputs are widened to float32 before `run`, and float32 outputs
   * narrowed back to that half type. Set false for kernels that handle the raw 16-bit bits (Cast).
   */
  widenHalf?: boolean;
  /** Attribute-level limits, checked before anything runs: true, or why not. */
  supports?(node: Node): true | string;
  /** Whether `create` can also compute `consumer`, applied to this node's output as it is stored (the plan then fuses it: KernelContext.epilogue). */
  fuses?(node: Node, consumer: Node): boolean;
  create(ctx: KernelContext): KernelRun;
}

const registry = new Map<string, KernelDef[]>();

function key(domain: string, op: string): string {
  return `${domain === 'ai.onnx' ? '' : domain}::${op}`;
}

export function registerKernel(...defs: KernelDef[]): void {
  for (const def of defs) {
    const k = key(def.domain ?? '', def.op);
    const list = registry.get(k) ?? [];
    if (list.some((d) => (d.since ?? 1) === (def.since ?? 1))) throw new Error(`cpu-js kernel ${k} since ${def.since ?? 1} is registered twice`);
    list.push(def);
    list.sort((a, b) => (b.since ?? 1) - (a.since ?? 1));
    registry.set(k, list);
  }
}

/** The definition serving this node, or why there is none. */
export function findKernel(node: Node): KernelDef | string {
  const list = registry.get(key(node.domain, node.opType));
  if (!list) return 'no kernel for this op';
  const opset = node.opset;
  const def = list.find((d) => (d.since ?? 1) <= opset);
  if (!def) return `kernels cover opset ${Math.min(...list.map((d) => d.since ?? 1))} and later`;
  return def;
}

/** The cpu-js fusion rule for the plan: a consumer is fused when the producer's kernel says it can compute it. */
export function kernelFuses(producer: Node, consumer: Node): boolean {
  const def = findKernel(producer);
  return typeof def !== 'string' && def.fuses !== undefined && def.fuses(producer, consumer);
}

/** Ops with a kernel, as `domain::Op` ('' domain printed bare), for listings. */
export function registeredOps(): string[] {
  return [...registry.keys()].map((k) => (k.startsWith('::') ? k.slice(2) : k.replace('::', '.'))).sort();
}

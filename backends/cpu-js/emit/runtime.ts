/**
 * What an emitted static module runs on. The module itself states the plan as code — one `kernel`
 * per step with its attributes, input dims and output places in the arena as literals, then one call
 * per step in order — so nothing here infers shapes, walks a graph or plans buffers. A kernel is
 * still created (specialised to its literal dims, weights pre-packed) when the module loads, by the
 * same cpu-js kernel code `shears run` uses. Part of the emitted runtime: no Node-only imports.
 */
import type { MemoryMode } from '../../../src/backend/backend.js';
import type { RuntimeValue } from '../../../src/backend/value.js';
import { ShearsError } from '../../../src/error.js';
import type { Attribute } from '../../../src/ir/attribute.js';
import { arrayConstructor, DType, lanes, rawByteLength } from '../../../src/ir/dtype.js';
import { Graph } from '../../../src/ir/graph.js';
import { describe, Node } from '../../../src/ir/node.js';
import { elementCount, Tensor } from '../../../src/ir/tensor.js';
import { tensorType, ValueType } from '../../../src/ir/types.js';
import type { Value } from '../../../src/ir/value.js';
import { createKernel } from '../create-kernel.js';
import type { KernelRun, RunContext, Scope } from '../kernel.js';
import { allocTensor } from '../tensors.js';
import { plainValue, PlainValue } from './feeds.js';

export { bindFeeds } from './feeds.js';
export { readWeights } from './read-weights.js';

/** A node as the emitted module spells it. Tensor-valued attributes refer to constants. */
export interface KernelSpec {
  op: string;
  /** '' (ai.onnx) when absent. */
  domain?: string;
  opset: number;
  name: string;
  attributes?: Record<string, [Attribute['type'], unknown]>;
}

/** A kernel input: a constant, `[name, dtype, dims]` of a value computed at run time, or null when missing. */
export type InputSpec = Tensor | [string, DType, number[]] | null;

/**
 * A kernel output: its name alone when it gets memory of its own; `[name, offset, bytes]` for a
 * place in the arena that `output()` hands out; `[name, offset, bytes, 'view']` for a view the
 * kernel returns of arena bytes another value owns, within that range.
 */
export type OutputSpec = string | [string, number, number] | [string, number, number, 'view'] | null;

/** The memory a module runs in: its weights, the activation arena the plan sized, and how kernels treat the weights. */
export interface Memory {
  weights: Uint8Array;
  arena: ArrayBuffer;
  mode: MemoryMode;
}

export function memory(weights: Uint8Array, arenaBytes: number, mode: MemoryMode = 'fast'): Memory {
  return { weights, arena: new ArrayBuffer(Math.max(arenaBytes, 8)), mode };
}

/** A tensor stored in the weights at `offset` (raw little-endian, as ONNX raw_data). */
export function constant(weights: Uint8Array, dtype: DType, dims: number[], offset: number, name: string): Tensor {
  const length = rawByteLength(dtype, elementCount(dims));
  return new Tensor(dtype, dims, { kind: 'raw', bytes: weights.subarray(offset, offset + length) }, name);
}

export function strings(dims: number[], values: string[], name: string): Tensor {
  return new Tensor(DType.STRING, dims, values, name);
}

const NO_SCOPE: Scope = {
  get(value: Value): RuntimeValue {
    throw new ShearsError('E_MODEL_INVALID', `value '${value.name}' is read from an enclosing graph, which a static plan does not have`, { tensor: value.name });
  },
};

export interface StepKernel {
  node: Node;
  run: KernelRun;
}

/** The cpu-js kernel of one step, created for exactly these inputs; the node is rebuilt alone from its spec. */
export function stepKernel(spec: KernelSpec, inputs: readonly InputSpec[], outputs: readonly (string | null)[], mode: MemoryMode = 'fast'): StepKernel {
  const domain = spec.domain ?? '';
  const graph = new Graph(null, new Map([[domain, spec.opset]]));
  const values = inputs.map((x) => {
    if (x === null) return null;
    const name = x instanceof Tensor ? x.name : x[0];
    const known = graph.lookup(name);
    if (known) return known;
    return x instanceof Tensor ? graph.addInitializer(name, x) : graph.addInput(name, tensorType(x[1], x[2]));
  });
  const attributes = Object.entries(spec.attributes ?? {}).map(([name, [type, value]]) => ({ name, type, value }) as Attribute);
  const node = graph.addNode({ opType: spec.op, domain, name: spec.name, inputs: values, outputs, attributes });
  const types = inputs.map((x): ValueType | undefined => (x === null ? undefined : x instanceof Tensor ? tensorType(x.dtype, [...x.dims]) : tensorType(x[1], x[2])));
  const run = createKernel(node, types, () => {
    throw new ShearsError('E_UNSUPPORTED_OP', `${describe(node)} has a subgraph, which a static plan does not run`, { node: node.name });
  }, mode);
  return { node, run };
}

/** One step of the plan: its kernel bound to its output places. Call it with the input values in order. */
export function kernel(mem: Memory, spec: KernelSpec, inputs: readonly InputSpec[], outputs: readonly OutputSpec[]): (values: readonly RuntimeValue[]) => RuntimeValue[] {
  const { node, run } = stepKernel(spec, inputs, outputs.map((o) => (o === null ? null : typeof o === 'string' ? o : o[0])), mem.mode);
  const ctx = new PlacedOutputs(mem.arena, outputs);
  return (values) => {
    ctx.handed.fill(null);
    let outs: RuntimeValue[];
    try {
      outs = run(values, ctx);
    } catch (e) {
      if (e instanceof ShearsError) throw e;
      throw new ShearsError('E_MODEL_INVALID', `${describe(node)} failed: ${(e as Error).message}`, { node: node.name }, { cause: e });
    }
    for (let k = 0; k < outs.length; k++) {
      const v = outs[k];
      // Arena bytes the plan did not give this value are another value's: keep a copy instead.
      if (v && !Array.isArray(v) && v !== ctx.handed[k] && shares(v, mem.arena) && !ctx.mayView(k, v)) outs[k] = copyTensor(v);
    }
    return outs;
  };
}

/** The RunContext of a planned step: `output(k)` is a view at the place the plan gave output k, if any. */
class PlacedOutputs implements RunContext {
  readonly scope = NO_SCOPE;
  readonly handed: (Tensor | null)[];

  constructor(
    private readonly arena: ArrayBuffer,
    private readonly places: readonly OutputSpec[],
  ) {
    this.handed = places.map(() => null);
  }

  output(index: number, dtype: DType, dims: readonly number[]): Tensor {
    const place = this.places[index];
    const count = elementCount(dims);
    let t: Tensor;
    if (Array.isArray(place) && place.length === 3 && dtype !== DType.STRING && rawByteLength(dtype, count) <= place[2]) {
      t = new Tensor(dtype, dims, new (arrayConstructor(dtype))(this.arena, place[1], count * lanes(dtype)));
    } else t = allocTensor(dtype, dims);
    this.handed[index] = t;
    return t;
  }

  mayView(index: number, t: Tensor): boolean {
    const place = this.places[index];
    if (!Array.isArray(place)) return false;
    const d = t.data as ArrayBufferView;
    return d.byteOffset >= place[1] && d.byteOffset + d.byteLength <= place[1] + place[2];
  }
}

/** Graph outputs by name as plain `{ data, dims, dtype }`; never a view of the weights or the arena, which later runs reuse. */
export function results(mem: Memory, values: Record<string, RuntimeValue>): Record<string, PlainValue> {
  const out: Record<string, PlainValue> = {};
  for (const [name, v] of Object.entries(values)) {
    const own = (t: Tensor): Tensor => (shares(t, mem.arena) || shares(t, mem.weights.buffer) ? copyTensor(t) : t);
    out[name] = plainValue(v === null ? null : Array.isArray(v) ? v.map(own) : own(v));
  }
  return out;
}

function shares(t: Tensor, buffer: ArrayBufferLike): boolean {
  const d = t.data;
  return !Array.isArray(d) && d.buffer === buffer;
}

function copyTensor(t: Tensor): Tensor {
  const d = t.data;
  return new Tensor(t.dtype, t.dims, Array.isArray(d) ? [...d] : d.slice(), t.name);
}

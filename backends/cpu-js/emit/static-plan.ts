/**
 * The static plan of a model whose input shapes are all known, made at compile time for emission:
 *
 *  - every step runs once on sample inputs (zeros), with the very kernels the emitted module will create
 *    (runtime.ts `stepKernel`), so the plan records what they do: the dims and dtype of every value,
 *    which outputs came from `output()`, and which are views of other values;
 *  - steps computing from constants and static shapes alone (Shape → Gather → Concat chains,
 *    Constant nodes) are folded: their small results become constants of the module, so no shape
 *    arithmetic is left for run time;
 *  - shape inference must agree that every value left has the static shape observed; where it does
 *    not (a shape that depends on the data, as NonZero's), the plan is refused and says why;
 *  - buffers of the remaining steps are assigned by liveness in one arena (the executor's rule:
 *    a value and the views of it share one buffer; graph outputs get memory of their own).
 */
import type { MemoryMode } from '../../../src/backend/backend.js';
import { assignBuffers, BufferRequest } from '../../../src/backend/buffer-assignment.js';
import { scheduleGraph, Schedule } from '../../../src/backend/plan.js';
import type { RuntimeValue } from '../../../src/backend/value.js';
import { ShearsError } from '../../../src/error.js';
import type { Attribute } from '../../../src/ir/attribute.js';
import type { DType } from '../../../src/ir/dtype.js';
import type { Graph } from '../../../src/ir/graph.js';
import { inferTypes } from '../../../src/ir/infer/index.js';
import { describe, Node } from '../../../src/ir/node.js';
import { Tensor, TensorStorage } from '../../../src/ir/tensor.js';
import { formatType, isStaticShape, ValueType } from '../../../src/ir/types.js';
import type { RunContext } from '../kernel.js';
import { allocTensor } from '../tensors.js';
import { kernelFuses } from '../kernel.js';
import { fusedConvClamp } from '../kernels/conv.js';
import { InputSpec, KernelSpec, stepKernel } from './runtime.js';

/** Steps reading only constants are folded when their outputs take at most this many bytes (Constant nodes always). */
const FOLD_LIMIT_BYTES = 64 * 1024;

/** Ops whose result depends only on their input's shape, which a static plan knows. */
const READS_ONLY_SHAPES = new Set(['Shape', 'Size']);

/** Ops whose result is not a function of their inputs: never folded. */
const NOT_FOLDABLE = new Set(['RandomNormal', 'RandomNormalLike', 'RandomUniform', 'RandomUniformLike', 'Bernoulli', 'Multinomial', 'Dropout']);

export interface StaticType {
  dtype: DType;
  dims: number[];
}

/** Where a value lives in the arena: a place `output()` hands out, or the range of another value's place it views. */
export interface Place {
  offset: number;
  bytes: number;
  view: boolean;
}

export interface PlannedStep {
  node: Node;
  /** The kernel as the module creates it: the node's own spec, or a FusedConv holding the activations the plan fused into a Conv. */
  spec: KernelSpec;
  /** Slot of each input (-1: missing). */
  inputs: Int32Array;
  /** Slot of each output (-1: not requested). */
  outputs: Int32Array;
}

export interface StaticPlan {
  schedule: Schedule;
  /** Graph inputs in order, with their static types and defaults (initializers that a caller may override). */
  inputs: { slot: number; name: string; type: StaticType; default: Tensor | null }[];
  steps: PlannedStep[];
  /** Per slot: the tensor when it is known before running (initializers and folded values), else null. */
  known: (Tensor | null)[];
  /** Per slot: dtype and dims as observed, for every value a step reads or writes. */
  types: (StaticType | null)[];
  places: (Place | null)[];
  arenaBytes: number;
  /** Sum of the bytes of all planned buffers: what the arena saves against. */
  bufferBytes: number;
  outputSlots: number[];
  folded: number;
}

/** The plan, or why the model needs the dynamic runtime. */
export function planStatically(graph: Graph, mode: MemoryMode = 'fast'): StaticPlan | string {
  const blocker = staticBlocker(graph);
  if (blocker) return blocker;
  const schedule = scheduleGraph(graph, kernelFuses);
  const n = schedule.values.length;
  const env: RuntimeValue[] = new Array(n).fill(null);
  const known: (Tensor | null)[] = new Array(n).fill(null);
  const types: (StaticType | null)[] = new Array(n).fill(null);
  const note = (slot: number, t: Tensor): void => void (types[slot] = { dtype: t.dtype, dims: [...t.dims] });
  for (const c of schedule.constants) {
    env[c.slot] = known[c.slot] = named(c.tensor, schedule.values[c.slot].name);
    note(c.slot, c.tensor);
  }
  const inputs = sampleInputs(graph);
  schedule.inputSlots.forEach((slot, i) => {
    env[slot] = inputs[i];
    note(slot, inputs[i]);
  });
  const inferred = inferTypes(graph, { inputTypes: new Map(graph.inputs.map((v, i) => [v.name, typeOfTensor(inputs[i])])) });
  const record = new ViewRecord(n);
  const steps: PlannedStep[] = [];
  let folded = 0;
  for (const step of schedule.steps) {
    const node = step.node;
    const spec = stepSpec(node, step.epilogue);
    const values = Array.from(step.inputs, (s) => (s < 0 ? null : env[s]));
    const nonTensor = values.findIndex((v) => Array.isArray(v));
    if (nonTensor >= 0) return `${describe(node)} reads a sequence (input ${nonTensor}), which static plans do not hold`;
    const inputSpecs = Array.from(step.inputs, (s): InputSpec => {
      if (s < 0) return null;
      const t = env[s] as Tensor;
      return known[s] ?? [schedule.values[s].name, t.dtype, [...t.dims]];
    });
    const unfixed = Array.from(step.outputs).findIndex((s) => s >= 0 && !isStaticTensor(inferred.get(schedule.values[s])));
    if (unfixed >= 0 && !READS_ONLY_SHAPES.has(node.opType) && !Array.from(step.inputs).every((s) => s < 0 || known[s])) {
      const v = schedule.values[step.outputs[unfixed]];
      return `the shape of '${v.name}' (output ${unfixed} of ${describe(node)}) depends on values known only when it runs (inference gives ${formatType(inferred.get(v))})`;
    }
    const ctx = new RecordingContext();
    const outs = runOnce(spec, node, inputSpecs, Array.from(step.outputs, (s) => (s < 0 ? null : schedule.values[s].name)), values, ctx, mode);
    if (typeof outs === 'string') return outs;
    const bad = Array.from(step.outputs).findIndex((s, k) => s >= 0 && (Array.isArray(outs[k]) || outs[k] === null || outs[k] === undefined));
    if (bad >= 0) return `${describe(node)} gives ${Array.isArray(outs[bad]) ? 'a sequence' : 'nothing'} for output ${bad}, which static plans do not hold`;
    const tensors = Array.from(step.outputs, (s, k) => (s >= 0 ? (outs[k] as Tensor) : null));
    tensors.forEach((t, k) => t && note(step.outputs[k], t));
    if (foldable(node, step.inputs, known, tensors)) {
      tensors.forEach((t, k) => t && (env[step.outputs[k]] = known[step.outputs[k]] = named(t, schedule.values[step.outputs[k]].name)));
      folded++;
    } else {
      for (let k = 0; k < tensors.length; k++) {
        const t = tensors[k];
        if (!t) continue;
        const slot = step.outputs[k];
        const why = disagreement(inferred.get(schedule.values[slot]), t);
        if (why) return `the shape of '${schedule.values[slot].name}' (output ${k} of ${describe(node)}) may depend on values known only when it runs: ${why}`;
        env[slot] = t;
        const data = t.data;
        if (Array.isArray(data)) continue;
        if (t === ctx.handed[k]) record.handed(slot, data.byteLength);
        else for (const dep of step.deps) if (schedule.firstStep[dep] >= 0 && !known[dep]) record.viewOf(slot, t, dep, env[dep]);
      }
      steps.push({ node, spec, inputs: step.inputs, outputs: step.outputs });
    }
    for (const s of step.release) env[s] = null;
  }
  const { places, arenaBytes, bufferBytes } = assignArena(schedule, steps, record);
  return {
    schedule,
    inputs: graph.inputs.map((v, i) => ({ slot: schedule.inputSlots[i], name: v.name, type: types[schedule.inputSlots[i]]!, default: v.initializer })),
    steps,
    known,
    types,
    places,
    arenaBytes,
    bufferBytes,
    outputSlots: schedule.outputSlots,
    folded,
  };
}

/** What rules out a static plan before anything runs: inputs without static shapes, subgraphs. */
function staticBlocker(graph: Graph): string | null {
  for (const v of graph.inputs) {
    const t = v.initializer ? typeOfTensor(v.initializer) : v.type;
    if (t?.kind !== 'tensor' || !isStaticShape(t.shape)) return `input '${v.name}' is ${formatType(t)}, not a tensor of static shape`;
  }
  for (const node of graph.nodes) if (node.subgraphs().length) return `${describe(node)} has a subgraph, which static plans do not unroll`;
  return null;
}

/**
 * One tensor per graph input: its default where it has one, else zeros (empty strings) of its static
 * shape. Zeros are valid indices, class labels and axes, where random values would trip range checks.
 */
function sampleInputs(graph: Graph): Tensor[] {
  return graph.inputs.map((v) => {
    if (v.initializer) return v.initializer;
    const t = v.type as { dtype: DType; shape: number[] };
    return named(allocTensor(t.dtype, t.shape), v.name);
  });
}

/**
 * The spec of a step: the node's own, or, when the plan fused activations into it (only Conv and
 * FusedConv fuse: kernels/conv.ts), a com.microsoft FusedConv with the one clamp they compose to,
 * which the module's Conv kernel applies as it stores its outputs, as the executor's does.
 */
function stepSpec(node: Node, epilogue: readonly Node[]): KernelSpec {
  if (epilogue.length === 0) return kernelSpec(node);
  if (node.opType !== 'Conv' && node.opType !== 'FusedConv') throw new Error(`${describe(node)}: fused steps are planned for Conv and FusedConv only`);
  const { lo, hi } = fusedConvClamp(node, epilogue);
  const base = kernelSpec(node);
  const attributes = { ...base.attributes, activation: ['string', 'Clip'], activation_params: ['floats', [lo, hi]] } as KernelSpec['attributes'];
  return { ...base, op: 'FusedConv', domain: 'com.microsoft', opset: 1, attributes };
}

/** The kernel's node in the form the emitted module spells it. */
export function kernelSpec(node: Node): KernelSpec {
  const attributes: Record<string, [Attribute['type'], unknown]> = {};
  for (const a of node.attributes) attributes[a.name] = [a.type, a.value];
  return { op: node.opType, ...(node.domain ? { domain: node.domain } : {}), opset: node.opset, name: node.name, ...(node.attributes.length ? { attributes } : {}) };
}

/**
 * The step's outputs on the sample inputs, or why it failed. Only an unsupported op or dtype is an
 * error here; anything else may be the sample data's fault (random indices out of range), so the
 * dynamic runtime, which runs on the real data, gets its chance.
 */
function runOnce(spec: KernelSpec, node: Node, inputs: InputSpec[], outputs: (string | null)[], values: RuntimeValue[], ctx: RecordingContext, mode: MemoryMode): RuntimeValue[] | string {
  try {
    const { run } = stepKernel(spec, inputs, outputs, mode);
    return run(values, ctx);
  } catch (e) {
    if (e instanceof ShearsError && e.code === 'E_UNSUPPORTED_OP') throw e;
    return `${describe(node)} failed on sample inputs: ${(e as Error).message}`;
  }
}

function isStaticTensor(t: ValueType | undefined): boolean {
  return t?.kind === 'tensor' && isStaticShape(t.shape);
}

function foldable(node: Node, inputs: Int32Array, known: readonly (Tensor | null)[], outputs: readonly (Tensor | null)[]): boolean {
  if (NOT_FOLDABLE.has(node.opType) || node.domain !== '') return false;
  if (!READS_ONLY_SHAPES.has(node.opType) && !Array.from(inputs).every((s) => s < 0 || known[s])) return false;
  if (node.opType === 'Constant') return true;
  const bytes = outputs.reduce((sum, t) => sum + (t ? t.byteLength : 0), 0);
  return inputs.length > 0 && bytes <= FOLD_LIMIT_BYTES;
}

/** Why the inferred type does not promise the observed tensor, or null when it does. */
function disagreement(inferred: ValueType | undefined, t: Tensor): string | null {
  if (inferred?.kind !== 'tensor' || !isStaticShape(inferred.shape)) return `inference gives ${formatType(inferred)}`;
  if (inferred.dtype !== t.dtype || inferred.shape.length !== t.dims.length || inferred.shape.some((d, i) => d !== t.dims[i])) {
    return `inference gives ${formatType(inferred)} but the kernel made ${formatType(typeOfTensor(t))}`;
  }
  return null;
}

function typeOfTensor(t: Tensor): ValueType {
  return { kind: 'tensor', dtype: t.dtype, shape: [...t.dims] };
}

/** The tensor under the value's name (kernels and messages see that name), sharing its storage. */
function named(t: Tensor, name: string): Tensor {
  return t.name === name ? t : new Tensor(t.dtype, t.dims, t.source as TensorStorage, name);
}

/** A RunContext that gives fresh memory and remembers what it handed out. */
class RecordingContext implements RunContext {
  readonly handed: (Tensor | null)[] = [];
  readonly scope = {
    get(): RuntimeValue {
      throw new ShearsError('E_MODEL_INVALID', 'a static plan has no enclosing scope');
    },
  };

  output(index: number, dtype: DType, dims: readonly number[]): Tensor {
    return (this.handed[index] = allocTensor(dtype, dims));
  }
}

/** Which values took memory from `output()` (and how much), and which are views of which (union-find). */
class ViewRecord {
  readonly bytes: Float64Array;
  readonly owns: Uint8Array;
  private readonly parent: Int32Array;

  constructor(n: number) {
    this.bytes = new Float64Array(n);
    this.owns = new Uint8Array(n);
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }

  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) x = p[x] = p[p[x]];
    return x;
  }

  handed(slot: number, bytes: number): void {
    this.owns[slot] = 1;
    this.bytes[slot] = bytes;
  }

  /** Joins `slot` to `dep`'s buffer when tensor `t` shares memory with `dep`'s value. */
  viewOf(slot: number, t: Tensor, dep: number, value: RuntimeValue): void {
    if (value && !Array.isArray(value) && sharesMemory(t, value)) this.parent[this.find(slot)] = this.find(dep);
  }
}

function sharesMemory(a: Tensor, b: Tensor): boolean {
  const x = a.data;
  const y = b.data;
  if (Array.isArray(x) || Array.isArray(y) || x.buffer !== y.buffer || x.byteLength === 0 || y.byteLength === 0) return false;
  return x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
}

/**
 * Liveness over the planned steps: a value and its views form one buffer, alive from its first
 * definition to its last read; it goes in the arena when exactly one of them took memory from
 * `output()` (the group's root) and none is a graph output.
 */
function assignArena(s: Schedule, steps: readonly PlannedStep[], record: ViewRecord): { places: (Place | null)[]; arenaBytes: number; bufferBytes: number } {
  const n = s.values.length;
  const defined = new Int32Array(n).fill(-1);
  const lastRead = new Int32Array(n).fill(-1);
  steps.forEach((step, j) => {
    for (const slot of step.outputs) if (slot >= 0) defined[slot] = j;
    for (const slot of step.inputs) if (slot >= 0) lastRead[slot] = j;
  });
  for (const slot of s.outputSlots) lastRead[slot] = steps.length;
  const first = new Float64Array(n).fill(Infinity);
  const last = new Float64Array(n).fill(-1);
  const owners = new Int32Array(n);
  const excluded = new Uint8Array(n);
  for (let slot = 0; slot < n; slot++) {
    if (defined[slot] < 0) continue;
    const root = record.find(slot);
    first[root] = Math.min(first[root], defined[slot]);
    last[root] = Math.max(last[root], lastRead[slot], defined[slot]);
    if (record.owns[slot]) owners[root]++;
    if (lastRead[slot] === steps.length) excluded[root] = 1;
  }
  const requests: BufferRequest[] = [];
  const roots: number[] = [];
  for (let slot = 0; slot < n; slot++) {
    if (defined[slot] < 0 || record.find(slot) !== slot || !record.owns[slot] || owners[slot] !== 1 || excluded[slot]) continue;
    requests.push({ bytes: record.bytes[slot], first: first[slot], last: last[slot] });
    roots.push(slot);
  }
  const assignment = assignBuffers(requests);
  const rootPlace = new Map<number, Place>();
  roots.forEach((slot, i) => rootPlace.set(slot, { offset: assignment.offsets[i], bytes: requests[i].bytes, view: false }));
  const places: (Place | null)[] = new Array(n).fill(null);
  for (let slot = 0; slot < n; slot++) {
    if (defined[slot] < 0) continue;
    const root = rootPlace.get(record.find(slot));
    if (root) places[slot] = slot === record.find(slot) ? root : { ...root, view: true };
  }
  return { places, arenaBytes: assignment.arenaBytes, bufferBytes: assignment.totalBytes };
}

/**
 * Runs a graph's schedule with cpu-js kernels. There is one plan per distinct set of input shapes:
 * kernels specialised to the shapes they meet, and an arena in which every intermediate has an
 * offset from liveness-based buffer assignment, so memory is reused and nothing is allocated per
 * intermediate. When the input shapes are static, `prepare` makes the plan at compile time from
 * shape inference; either way the plan's first run records each intermediate's real size and which
 * outputs are views of other values, and the plan is remade from that record.
 */
import { assignBuffers, BufferRequest } from '../../src/backend/buffer-assignment.js';
import type { MemoryMode, PlanStats } from '../../src/backend/backend.js';
import { Schedule, ScheduledStep, scheduleGraph } from '../../src/backend/plan.js';
import type { RuntimeValue } from '../../src/backend/value.js';
import { ShearsError } from '../../src/error.js';
import { DType, arrayConstructor, lanes, rawByteLength } from '../../src/ir/dtype.js';
import type { Graph } from '../../src/ir/graph.js';
import { inferTypes } from '../../src/ir/infer/index.js';
import { describe } from '../../src/ir/node.js';
import { Tensor, elementCount } from '../../src/ir/tensor.js';
import { isStaticShape, ValueType } from '../../src/ir/types.js';
import type { Value } from '../../src/ir/value.js';
import { createKernel } from './create-kernel.js';
import { kernelFuses, KernelRun, RunContext, Scope } from './kernel.js';
import { allocTensor, typeOf } from './tensors.js';

export interface ExecutorOptions {
  /** Plans kept, one per distinct set of input shapes (default 8; the oldest is dropped). */
  maxPlans?: number;
  /** Place intermediates in a SharedArrayBuffer, so that worker threads can read and write them. */
  sharedArena?: boolean;
  /** How kernels treat constant weights (default 'fast'). */
  memory?: MemoryMode;
}

/** A kernel with the input dims and dtypes it was created for. */
interface PlannedKernel {
  run: KernelRun;
  dims: (readonly number[] | null)[];
  dtypes: (DType | null)[];
}

interface Plan {
  kernels: (PlannedKernel | undefined)[];
  /** False until a run has recorded the real sizes and views. */
  recorded: boolean;
  arena: ArrayBufferLike | null;
  /** Per slot: arena offset, or -1 when the slot has no place in the arena. */
  offsets: Float64Array;
  capacity: Float64Array;
  /** Per slot: the slot whose arena bytes this value may view (itself for an owner), or -1. */
  aliasOf: Int32Array;
  stats: PlanStats | null;
}

const EMPTY_SCOPE: Scope = {
  get(value: Value): RuntimeValue {
    throw new ShearsError('E_MODEL_INVALID', `value '${value.name}' is read from an enclosing graph that is not running`, { tensor: value.name });
  },
};

export class GraphExecutor {
  readonly schedule: Schedule;
  private readonly plans = new Map<string, Plan>();
  private readonly maxPlans: number;
  private readonly sharedArena: boolean;
  private readonly memory: MemoryMode;
  private readonly subgraphs = new Map<Graph, GraphExecutor>();
  private lastPlan: Plan | null = null;

  constructor(readonly graph: Graph, options: ExecutorOptions = {}) {
    this.schedule = scheduleGraph(graph, kernelFuses);
    this.maxPlans = options.maxPlans ?? 8;
    this.sharedArena = options.sharedArena ?? false;
    this.memory = options.memory ?? 'fast';
  }

  /** Runs with graph inputs bound to `inputs` (null: use the initializer default); returns the graph outputs. */
  run(inputs: readonly RuntimeValue[], scope: Scope = EMPTY_SCOPE): RuntimeValue[] {
    const s = this.schedule;
    const env: RuntimeValue[] = new Array(s.values.length).fill(null);
    for (const c of s.constants) env[c.slot] = c.tensor;
    for (const d of s.defaults) env[d.slot] = d.tensor;
    s.inputSlots.forEach((slot, i) => {
      const v = inputs[i];
      if (v !== null && v !== undefined) env[slot] = v;
    });
    for (const slot of s.capturedSlots) env[slot] = scope.get(s.values[slot]);
    const plan = this.planFor(s.inputSlots.map((slot) => signature(typeOf(env[slot] ?? undefined))).join(';'));
    const inner: Scope = {
      get: (value) => {
        const slot = s.slotOf.get(value);
        return slot === undefined ? scope.get(value) : env[slot];
      },
    };
    const recorder = plan.recorded ? null : new Recorder(s.values.length);
    this.execute(plan, env, inner, recorder);
    if (recorder) this.assignArena(plan, recorder);
    this.lastPlan = plan;
    return s.outputSlots.map((slot) => env[slot]);
  }

  /**
   * Plans for graph inputs of these static types before any run: kernels created for the inferred
   * shapes and an arena sized from them. Returns the plan's statistics, or null when some input
   * shape is not static.
   */
  prepare(inputTypes: readonly (ValueType | undefined)[]): PlanStats | null {
    const s = this.schedule;
    if (!inputTypes.every((t) => t?.kind === 'tensor' && isStaticShape(t.shape))) return null;
    const key = inputTypes.map(signature).join(';');
    const plan = this.planFor(key);
    if (plan.recorded || plan.stats) return plan.stats;
    const inferred = inferTypes(this.graph, { inputTypes: new Map(this.graph.inputs.map((v, i) => [v.name, inputTypes[i]!])) });
    const typeOfSlot = (slot: number): ValueType | undefined => {
      const v = s.values[slot];
      const c = v.constant;
      return c && !v.isGraphInput ? typeOf(c) : inferred.get(v);
    };
    const bytes = new Float64Array(s.values.length);
    s.steps.forEach((step, i) => {
      const types = Array.from(step.inputs, (slot) => (slot < 0 ? undefined : typeOfSlot(slot)));
      if (types.every((t, k) => (t === undefined ? step.inputs[k] < 0 : t.kind === 'tensor' && isStaticShape(t.shape)))) {
        try {
          plan.kernels[i] = planned(createKernel(step.node, types, (g) => this.subgraph(g), this.memory, step.epilogue), types);
        } catch {
          // The first run creates this kernel again and reports the problem with the actual inputs.
        }
      }
      for (const slot of step.outputs) {
        const t = slot >= 0 ? typeOfSlot(slot) : undefined;
        if (t?.kind === 'tensor' && isStaticShape(t.shape) && t.dtype !== DType.STRING) bytes[slot] = rawByteLength(t.dtype, elementCount(t.shape));
      }
    });
    const recorder = new Recorder(s.values.length);
    for (let slot = 0; slot < s.values.length; slot++) {
      if (bytes[slot] > 0) recorder.note(slot, bytes[slot]);
    }
    this.assignArena(plan, recorder);
    plan.recorded = false;
    return plan.stats;
  }

  stats(): PlanStats | null {
    if (this.lastPlan) return this.lastPlan.stats;
    return [...this.plans.values()].at(-1)?.stats ?? null;
  }

  subgraph(graph: Graph): GraphExecutor {
    let e = this.subgraphs.get(graph);
    if (!e) {
      e = new GraphExecutor(graph, { maxPlans: this.maxPlans, sharedArena: this.sharedArena, memory: this.memory });
      this.subgraphs.set(graph, e);
    }
    return e;
  }

  private planFor(key: string): Plan {
    let plan = this.plans.get(key);
    if (!plan) {
      if (this.plans.size >= this.maxPlans) this.plans.delete(this.plans.keys().next().value!);
      const n = this.schedule.values.length;
      plan = {
        kernels: new Array(this.schedule.steps.length),
        recorded: false,
        arena: null,
        offsets: new Float64Array(n).fill(-1),
        capacity: new Float64Array(n),
        aliasOf: new Int32Array(n).fill(-1),
        stats: null,
      };
      this.plans.set(key, plan);
    }
    return plan;
  }

  private kernelFor(plan: Plan, index: number, step: ScheduledStep, inputs: readonly RuntimeValue[]): KernelRun {
    const k = plan.kernels[index];
    if (k && matches(k, inputs)) return k.run;
    const types = inputs.map((v) => typeOf(v ?? undefined));
    const run = createKernel(step.node, types, (g) => this.subgraph(g), this.memory, step.epilogue);
    plan.kernels[index] = planned(run, types);
    return run;
  }

  private execute(plan: Plan, env: RuntimeValue[], scope: Scope, recorder: Recorder | null): void {
    const arena = plan.arena;
    const ctx = new StepContext(scope, plan);
    const steps = this.schedule.steps;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      const inputs = readInputs(step, env);
      ctx.begin(step);
      const outs = call(this.kernelFor(plan, i, step, inputs), step, inputs, ctx);
      recorder?.observe(step, outs, env, ctx.handed, this.schedule);
      for (let k = 0; k < step.outputs.length; k++) {
        const slot = step.outputs[k];
        if (slot < 0) continue;
        let v = outs[k] ?? null;
        if (arena && v) {
          // A view of arena bytes the plan did not foresee would be overwritten when those bytes are reused.
          if (!Array.isArray(v)) {
            if (v !== ctx.handed[k] && isArenaView(v, arena) && (recorder || !withinAlias(plan, slot, v))) v = copyTensor(v);
          } else v = v.map((t) => (isArenaView(t, arena) ? copyTensor(t) : t));
        }
        env[slot] = v;
      }
      for (const slot of step.release) env[slot] = null;
    }
  }

  private assignArena(plan: Plan, rec: Recorder): void {
    const s = this.schedule;
    const n = s.values.length;
    const find = (x: number): number => rec.find(x);
    const first = new Float64Array(n).fill(Infinity);
    const last = new Float64Array(n).fill(-1);
    const owners = new Int32Array(n);
    const excluded = new Uint8Array(n);
    let sumIntermediateBytes = 0;
    for (let slot = 0; slot < n; slot++) {
      if (s.firstStep[slot] < 0) continue;
      const root = find(slot);
      first[root] = Math.min(first[root], s.firstStep[slot]);
      last[root] = Math.max(last[root], s.lastStep[slot], s.firstStep[slot]);
      if (rec.handed[slot]) owners[root]++;
      if (s.lastStep[slot] === s.steps.length) excluded[root] = 1;
      else sumIntermediateBytes += rec.bytes[slot];
    }
    const requests: BufferRequest[] = [];
    const roots: number[] = [];
    let unplannedValues = 0;
    for (let slot = 0; slot < n; slot++) {
      if (s.firstStep[slot] < 0 || find(slot) !== slot) continue;
      if (rec.handed[slot] && owners[slot] === 1 && !excluded[slot]) {
        requests.push({ bytes: rec.bytes[slot], first: first[slot], last: last[slot] });
        roots.push(slot);
      } else unplannedValues++;
    }
    const assignment = assignBuffers(requests);
    const arenaBytes = Math.max(assignment.arenaBytes, 8);
    // The recording run usually confirms the plan made at compile time: its arena serves again, rather than a second one alive until collected.
    if (!plan.arena || plan.arena.byteLength < arenaBytes) plan.arena = this.sharedArena ? new SharedArrayBuffer(arenaBytes) : new ArrayBuffer(arenaBytes);
    plan.offsets.fill(-1);
    plan.aliasOf.fill(-1);
    roots.forEach((slot, i) => {
      plan.offsets[slot] = assignment.offsets[i];
      plan.capacity[slot] = requests[i].bytes;
    });
    for (let slot = 0; slot < n; slot++) {
      const root = s.firstStep[slot] >= 0 ? find(slot) : -1;
      if (root >= 0 && plan.offsets[root] >= 0) plan.aliasOf[slot] = root;
    }
    plan.recorded = true;
    plan.stats = {
      peakActivationBytes: assignment.arenaBytes,
      sumIntermediateBytes,
      plannedValues: roots.length,
      unplannedValues,
      kernelCalls: s.steps.length,
    };
  }
}

/** What a plan's first run learns: bytes of each output a kernel took from `output()`, and which values view which. */
class Recorder {
  readonly bytes: Float64Array;
  readonly handed: Uint8Array;
  private readonly parent: Int32Array;

  constructor(n: number) {
    this.bytes = new Float64Array(n);
    this.handed = new Uint8Array(n);
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }

  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) x = p[x] = p[p[x]];
    return x;
  }

  note(slot: number, bytes: number): void {
    this.handed[slot] = 1;
    this.bytes[slot] = bytes;
  }

  observe(step: ScheduledStep, outs: readonly RuntimeValue[], env: readonly RuntimeValue[], handed: readonly (Tensor | null)[], s: Schedule): void {
    for (let k = 0; k < step.outputs.length; k++) {
      const slot = step.outputs[k];
      const v = outs[k];
      if (slot < 0 || !v || Array.isArray(v) || Array.isArray(v.data)) continue;
      if (v === handed[k]) {
        this.note(slot, v.data.byteLength);
        continue;
      }
      for (const dep of step.deps) {
        const d = env[dep];
        if (s.firstStep[dep] >= 0 && d && !Array.isArray(d) && sharesMemory(v, d)) this.parent[this.find(slot)] = this.find(dep);
      }
    }
  }
}

/** The RunContext of one step; `output` hands out arena views where the plan has a place. */
class StepContext implements RunContext {
  readonly handed: (Tensor | null)[] = [];
  private step: ScheduledStep | null = null;

  constructor(readonly scope: Scope, private readonly plan: Plan) {}

  begin(step: ScheduledStep): void {
    this.step = step;
    this.handed.length = 0;
  }

  output(index: number, dtype: DType, dims: readonly number[]): Tensor {
    const slot = this.step!.outputs[index] ?? -1;
    const plan = this.plan;
    let t: Tensor | null = null;
    if (plan.arena && slot >= 0 && plan.offsets[slot] >= 0 && dtype !== DType.STRING) {
      const count = elementCount(dims);
      if (rawByteLength(dtype, count) <= plan.capacity[slot]) t = new Tensor(dtype, dims, new (arrayConstructor(dtype))(plan.arena, plan.offsets[slot], count * lanes(dtype)));
    }
    t ??= allocTensor(dtype, dims);
    this.handed[index] = t;
    return t;
  }
}

function planned(run: KernelRun, types: readonly (ValueType | undefined)[]): PlannedKernel {
  return {
    run,
    dims: types.map((t) => (t?.kind === 'tensor' && isStaticShape(t.shape) ? t.shape : null)),
    dtypes: types.map((t) => (t?.kind === 'tensor' ? t.dtype : null)),
  };
}

function call(run: KernelRun, step: ScheduledStep, inputs: readonly RuntimeValue[], ctx: StepContext): RuntimeValue[] {
  try {
    return run(inputs, ctx);
  } catch (e) {
    if (e instanceof ShearsError) throw e;
    throw new ShearsError('E_MODEL_INVALID', `${describe(step.node)} failed: ${(e as Error).message}`, { node: step.node.name }, { cause: e });
  }
}

function readInputs(step: ScheduledStep, env: readonly RuntimeValue[]): RuntimeValue[] {
  const out = new Array<RuntimeValue>(step.inputs.length);
  for (let i = 0; i < out.length; i++) out[i] = step.inputs[i] >= 0 ? env[step.inputs[i]] : null;
  return out;
}

function matches(k: PlannedKernel, inputs: readonly RuntimeValue[]): boolean {
  if (k.dims.length !== inputs.length) return false;
  for (let i = 0; i < inputs.length; i++) {
    const v = inputs[i];
    const dims = k.dims[i];
    if (!v || Array.isArray(v)) {
      if (dims !== null) return false;
      continue;
    }
    if (dims === null || v.dtype !== k.dtypes[i] || v.dims.length !== dims.length) return false;
    for (let d = 0; d < dims.length; d++) if (v.dims[d] !== dims[d]) return false;
  }
  return true;
}

/** The same key for a runtime value and for its type, so that a prepared plan is found at run time. */
function signature(t: ValueType | undefined): string {
  if (!t) return '-';
  if (t.kind === 'tensor') return `${t.dtype}:${t.shape?.join('x') ?? '?'}`;
  return t.kind;
}

function sharesMemory(a: Tensor, b: Tensor): boolean {
  const x = a.data;
  const y = b.data;
  if (Array.isArray(x) || Array.isArray(y) || x.buffer !== y.buffer || x.byteLength === 0 || y.byteLength === 0) return false;
  return x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
}

function isArenaView(t: Tensor, arena: ArrayBufferLike): boolean {
  const d = t.data;
  return !Array.isArray(d) && d.buffer === arena;
}

/** Whether a view of the arena lies inside the bytes planned for the value it was recorded to view. */
function withinAlias(plan: Plan, slot: number, t: Tensor): boolean {
  const root = plan.aliasOf[slot];
  if (root < 0) return false;
  const d = t.data as ArrayBufferView;
  return d.byteOffset >= plan.offsets[root] && d.byteOffset + d.byteLength <= plan.offsets[root] + plan.capacity[root];
}

function copyTensor(t: Tensor): Tensor {
  const d = t.data;
  return new Tensor(t.dtype, t.dims, Array.isArray(d) ? [...d] : d.slice(), t.name);
}

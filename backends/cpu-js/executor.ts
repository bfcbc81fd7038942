/**
 * Runs a graph's schedule with cpu-js kernels. Per distinct set of input shapes there is one plan:
 * its first run creates kernels for the shapes it meets and records every intermediate's size and
 * aliasing; after that, intermediates live in one arena whose offsets come from liveness-based
 * buffer assignment, so memory is reused and nothing is allocated per intermediate.
 */
import { assignBuffers, BufferRequest } from '../../src/backend/buffer-assignment.js';
import type { PlanStats } from '../../src/backend/backend.js';
import { Schedule, ScheduledStep, scheduleGraph } from '../../src/backend/plan.js';
import type { RuntimeValue } from '../../src/backend/value.js';
import { ShearsError } from '../../src/error.js';
import { DType, arrayConstructor, lanes, rawByteLength } from '../../src/ir/dtype.js';
import type { Graph } from '../../src/ir/graph.js';
import { describe } from '../../src/ir/node.js';
import { Tensor, elementCount } from '../../src/ir/tensor.js';
import type { Value } from '../../src/ir/value.js';
import { createKernel } from './create-kernel.js';
import type { KernelRun, RunContext, Scope } from './kernel.js';
import { allocTensor } from './tensors.js';

export interface ExecutorOptions {
  /** Plans kept, one per distinct set of input shapes (default 8; the oldest is dropped). */
  maxPlans?: number;
}

/** A kernel with the input dims it was created for. */
interface PlannedKernel {
  run: KernelRun;
  dims: (readonly number[] | null)[];
  dtypes: (DType | null)[];
}

interface Plan {
  kernels: (PlannedKernel | undefined)[];
  /** Set once the recording run has finished. */
  arena: ArrayBuffer | null;
  /** Per slot: arena offset, or -1 when the slot has no place in the arena. */
  offsets: Float64Array;
  capacity: Float64Array;
  /** Per slot: the slot whose arena bytes this value is a view of (itself for an owner), or -1. */
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
  private readonly subgraphs = new Map<Graph, GraphExecutor>();
  private lastPlan: Plan | null = null;

  constructor(readonly graph: Graph, options: ExecutorOptions = {}) {
    this.schedule = scheduleGraph(graph);
    this.maxPlans = options.maxPlans ?? 8;
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
    const plan = this.planFor(env);
    const inner: Scope = {
      get: (value) => {
        const slot = s.slotOf.get(value);
        return slot === undefined ? scope.get(value) : env[slot];
      },
    };
    if (plan.arena) this.runPlanned(plan, env, inner);
    else this.record(plan, env, inner);
    this.lastPlan = plan;
    return s.outputSlots.map((slot) => env[slot]);
  }

  stats(): PlanStats | null {
    return this.lastPlan?.stats ?? null;
  }

  subgraph(graph: Graph): GraphExecutor {
    let e = this.subgraphs.get(graph);
    if (!e) {
      e = new GraphExecutor(graph, { maxPlans: this.maxPlans });
      this.subgraphs.set(graph, e);
    }
    return e;
  }

  private planFor(env: readonly RuntimeValue[]): Plan {
    const key = this.schedule.inputSlots.map((slot) => signature(env[slot])).join(';');
    let plan = this.plans.get(key);
    if (!plan) {
      if (this.plans.size >= this.maxPlans) this.plans.delete(this.plans.keys().next().value!);
      const n = this.schedule.values.length;
      plan = {
        kernels: new Array(this.schedule.steps.length),
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
    const run = createKernel(step.node, inputs, (g) => this.subgraph(g));
    plan.kernels[index] = {
      run,
      dims: inputs.map((v) => (v && !Array.isArray(v) ? v.dims : null)),
      dtypes: inputs.map((v) => (v && !Array.isArray(v) ? v.dtype : null)),
    };
    return run;
  }

  private runPlanned(plan: Plan, env: RuntimeValue[], scope: Scope): void {
    const arena = plan.arena!;
    const ctx = new StepContext(scope, plan);
    this.schedule.steps.forEach((step, i) => {
      const inputs = readInputs(step, env);
      ctx.begin(step);
      const outs = call(this.kernelFor(plan, i, step, inputs), step, inputs, ctx);
      for (let k = 0; k < step.outputs.length; k++) {
        const slot = step.outputs[k];
        if (slot < 0) continue;
        let v = outs[k] ?? null;
        if (v && !Array.isArray(v) && v !== ctx.handed[k] && isArenaView(v, arena) && !withinAlias(plan, slot, v)) v = copyTensor(v);
        else if (Array.isArray(v)) v = v.map((t) => (isArenaView(t, arena) ? copyTensor(t) : t));
        env[slot] = v;
      }
      for (const slot of step.release) env[slot] = null;
    });
  }

  /** The plan's first run: fresh buffers everywhere, noting sizes and which outputs view which inputs. */
  private record(plan: Plan, env: RuntimeValue[], scope: Scope): void {
    const s = this.schedule;
    const bytes = new Float64Array(s.values.length);
    const handed = new Uint8Array(s.values.length);
    const parent = Int32Array.from({ length: s.values.length }, (_, i) => i);
    const find = (x: number): number => {
      while (parent[x] !== x) x = parent[x] = parent[parent[x]];
      return x;
    };
    const ctx = new StepContext(scope, null);
    s.steps.forEach((step, i) => {
      const inputs = readInputs(step, env);
      ctx.begin(step);
      const outs = call(this.kernelFor(plan, i, step, inputs), step, inputs, ctx);
      const owners = new Map<ArrayBufferLike, number>();
      for (const slot of step.deps) {
        const v = env[slot];
        if (v && !Array.isArray(v) && s.firstStep[slot] >= 0 && !Array.isArray(v.data)) owners.set(v.data.buffer, slot);
      }
      for (let k = 0; k < step.outputs.length; k++) {
        const slot = step.outputs[k];
        if (slot < 0) continue;
        const v = outs[k] ?? null;
        env[slot] = v;
        if (!v || Array.isArray(v) || Array.isArray(v.data)) continue;
        const owner = owners.get(v.data.buffer);
        if (owner !== undefined) parent[find(slot)] = find(owner);
        else if (v === ctx.handed[k]) {
          handed[slot] = 1;
          bytes[slot] = v.data.byteLength;
        }
      }
      for (const slot of step.release) env[slot] = null;
    });
    this.assignArena(plan, bytes, handed, find);
  }

  private assignArena(plan: Plan, bytes: Float64Array, handed: Uint8Array, find: (slot: number) => number): void {
    const s = this.schedule;
    const n = s.values.length;
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
      if (handed[slot]) owners[root]++;
      if (s.lastStep[slot] === s.steps.length) excluded[root] = 1;
      else sumIntermediateBytes += bytes[slot];
    }
    const requests: BufferRequest[] = [];
    const roots: number[] = [];
    let unplannedValues = 0;
    for (let slot = 0; slot < n; slot++) {
      if (s.firstStep[slot] < 0 || find(slot) !== slot) continue;
      if (handed[slot] && owners[slot] === 1 && !excluded[slot]) {
        requests.push({ bytes: bytes[slot], first: first[slot], last: last[slot] });
        roots.push(slot);
      } else unplannedValues++;
    }
    const assignment = assignBuffers(requests);
    plan.arena = new ArrayBuffer(Math.max(assignment.arenaBytes, 8));
    roots.forEach((slot, i) => {
      plan.offsets[slot] = assignment.offsets[i];
      plan.capacity[slot] = requests[i].bytes;
    });
    for (let slot = 0; slot < n; slot++) {
      const root = s.firstStep[slot] >= 0 ? find(slot) : -1;
      if (root >= 0 && plan.offsets[root] >= 0) plan.aliasOf[slot] = root;
    }
    plan.stats = {
      peakActivationBytes: assignment.arenaBytes,
      sumIntermediateBytes,
      plannedValues: roots.length,
      unplannedValues,
      kernelCalls: s.steps.length,
    };
  }
}

/** The RunContext of one step; `output` hands out arena views once the plan has an arena. */
class StepContext implements RunContext {
  handed: (Tensor | null)[] = [];
  private step: ScheduledStep | null = null;

  constructor(readonly scope: Scope, private readonly plan: Plan | null) {}

  begin(step: ScheduledStep): void {
    this.step = step;
    this.handed.length = 0;
  }

  output(index: number, dtype: DType, dims: readonly number[]): Tensor {
    const slot = this.step!.outputs[index] ?? -1;
    const plan = this.plan;
    let t: Tensor;
    if (plan?.arena && slot >= 0 && plan.offsets[slot] >= 0 && dtype !== DType.STRING) {
      const count = elementCount(dims);
      const need = rawByteLength(dtype, count);
      t = need <= plan.capacity[slot] ? new Tensor(dtype, dims, new (arrayConstructor(dtype))(plan.arena, plan.offsets[slot], count * lanes(dtype))) : allocTensor(dtype, dims);
    } else t = allocTensor(dtype, dims);
    this.handed[index] = t;
    return t;
  }
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

function signature(v: RuntimeValue): string {
  if (v === null || v === undefined) return '-';
  if (Array.isArray(v)) return `[${v.map(signature).join(',')}]`;
  return `${v.dtype}:${v.dims.join('x')}`;
}

function isArenaView(t: Tensor, arena: ArrayBuffer): boolean {
  const d = t.data;
  return !Array.isArray(d) && d.buffer === arena;
}

/** Whether a view of the arena lies inside the bytes planned for the value it was recorded to alias. */
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

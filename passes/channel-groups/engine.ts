import { DType, isPacked4Bit } from '../../src/ir/dtype.js';
import type { Graph } from '../../src/ir/graph.js';
import { staticData } from '../../src/ir/infer/known-value.js';
import { describe } from '../../src/ir/node.js';
import type { Node } from '../../src/ir/node.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { capturedValues } from '../../src/ir/topo.js';
import type { Dim } from '../../src/ir/types.js';
import type { Value } from '../../src/ir/value.js';
import { shapeOf, ShapeAnalysis } from '../../src/pass/analysis.js';
import { isStandard } from '../../src/pass/rewrite.js';
import { ruleFor, SEED_OPS } from './registry.js';
import type { ChannelRule, ChannelRuleContext, Fixup, Role, UnitId } from './types.js';
import { UnitSets } from './units.js';

/** Integer constants larger than this are not shape operands; reading them would only cost time. */
const MAX_INTS = 4096;

/**
 * Propagates channel axes through the graph, DepGraph style: every Conv/Gemm/MatMul gives its
 * input and output channel axes units, and the rule of each node that touches a value with units
 * relates the channel axes of its other inputs and outputs (coupling units index by index) until
 * nothing new is learned. A node without a rule blocks every unit it touches.
 */
export class ChannelPropagation {
  readonly sets = new UnitSets();
  readonly axes = new Map<Value, Map<number, UnitId[]>>();
  readonly roles = new Map<Value, Map<number, Role>>();
  readonly fixups = new Map<Node, Fixup[]>();
  readonly contractions = new Map<Node, Value[]>();
  readonly touched = new Set<Node>();
  private readonly queue: Node[] = [];
  private readonly queued = new Set<Node>();
  private assignments = 0;
  private final = false;

  constructor(
    readonly graph: Graph,
    readonly shapes: ShapeAnalysis,
  ) {}

  run(): void {
    for (const n of this.graph.nodes) if (SEED_OPS.has(n.opType) && isStandard(n)) this.enqueue(n);
    for (;;) {
      this.drain();
      const before = this.assignments;
      this.final = true;
      for (const n of this.graph.nodes) if (this.touched.has(n)) this.visit(n);
      for (const n of [...this.touched]) if (n.graph !== this.graph) this.visit(n);
      this.final = false;
      if (this.assignments === before) break;
    }
  }

  shape(v: Value | null | undefined): Dim[] | undefined {
    return v ? shapeOf(this.shapes, v) : undefined;
  }

  ints(v: Value | null | undefined): number[] | undefined {
    if (!v) return undefined;
    const known = staticData(this.shapes.values.get(v));
    if (known) return known;
    const c = v.constant;
    if (!c || c.size > MAX_INTS) return undefined;
    try {
      return c.toNumbers();
    } catch {
      return undefined;
    }
  }

  private enqueue(n: Node | null): void {
    if (!n || this.queued.has(n)) return;
    this.queued.add(n);
    this.queue.push(n);
  }

  private drain(): void {
    while (this.queue.length) {
      const n = this.queue.shift()!;
      this.queued.delete(n);
      this.visit(n);
    }
  }

  private visit(node: Node): void {
    this.touched.add(node);
    this.fixups.delete(node);
    this.contractions.delete(node);
    const ctx = new RuleContext(this, node, this.final);
    if (node.graph !== this.graph) return ctx.block('a subgraph uses the value', node.inputs.filter((v) => v?.graph === this.graph));
    if (node.subgraphs().length) return ctx.block(`${node.opType} has subgraphs`, [...node.inputs, ...node.outputs, ...capturedValues(node)]);
    const rule: ChannelRule | undefined = isStandard(node) ? ruleFor(node.opType) : undefined;
    if (!rule) return ctx.block(`${node.qualifiedOp} is not understood by the channel analysis`);
    try {
      rule.relate(ctx);
    } catch (e) {
      ctx.block(`its attributes could not be read: ${(e as Error).message}`);
    }
  }

  /** Couple `units` into axis `axis` of `v`; see ChannelRuleContext.assign. */
  assign(node: Node, v: Value, axis: number, units: readonly UnitId[], role: Role | undefined): void {
    const c = v.constant;
    if (c && (isPacked4Bit(c.dtype) || c.dtype === DType.STRING)) {
      for (const u of units) this.sets.block(u, `'${v.name}' cannot be sliced by channel (${describe(node)})`);
      return;
    }
    const dims = this.shape(v);
    const size = dims?.[axis];
    if (axis < 0 || (dims && axis >= dims.length) || (typeof size === 'number' && size !== units.length)) {
      for (const u of units) this.sets.block(u, `channel counts disagree at '${v.name}' (${describe(node)})`);
      return;
    }
    let byAxis = this.axes.get(v);
    if (!byAxis) this.axes.set(v, (byAxis = new Map()));
    const existing = byAxis.get(axis);
    if (existing) {
      if (existing.length !== units.length) {
        for (const u of [...existing, ...units]) this.sets.block(u, `channel counts disagree at '${v.name}' (${describe(node)})`);
        return;
      }
      for (let i = 0; i < units.length; i++) this.sets.union(existing[i], units[i]);
      return;
    }
    byAxis.set(axis, [...units]);
    let roles = this.roles.get(v);
    if (!roles) this.roles.set(v, (roles = new Map()));
    roles.set(axis, role ?? (v.constant ? 'factor' : 'activation'));
    this.assignments++;
    if (v.isGraphInput) for (const u of units) this.sets.fix(u, `graph input '${v.name}'`);
    if (v.isGraphOutput) for (const u of units) this.sets.fix(u, `graph output '${v.name}'`);
    if (v.graph === this.graph) this.enqueue(v.producer);
    for (const user of v.users) this.enqueue(user);
  }

  blockValues(node: Node, reason: string, values: readonly (Value | null | undefined)[]): void {
    const text = `${describe(node)}: ${reason}`;
    for (const v of values) {
      if (!v) continue;
      for (const units of this.axes.get(v)?.values() ?? []) for (const u of units) this.sets.block(u, text);
    }
  }
}

class RuleContext implements ChannelRuleContext {
  constructor(
    private readonly p: ChannelPropagation,
    readonly node: Node,
    private readonly final: boolean,
  ) {}

  shape(v: Value | null | undefined): Dim[] | undefined {
    return this.p.shape(v);
  }

  ints(v: Value | null | undefined): number[] | undefined {
    return this.p.ints(v);
  }

  constant(v: Value | null | undefined): Tensor | null {
    return v ? v.constant : null;
  }

  axes(v: Value | null | undefined): ReadonlyMap<number, readonly UnitId[]> {
    return (v && this.p.axes.get(v)) || EMPTY;
  }

  units(v: Value | null | undefined, axis: number): readonly UnitId[] | undefined {
    return v ? this.p.axes.get(v)?.get(axis) : undefined;
  }

  role(v: Value, axis: number): Role | undefined {
    return this.p.roles.get(v)?.get(axis);
  }

  isWeight(v: Value | null | undefined): v is Value {
    for (let depth = 0; v && depth < 8; depth++) {
      if (v.constant) return true;
      const p = v.producer;
      if (!p || !WEIGHT_VIEWS.has(p.opType) || p.domain !== '' || v.users.length !== 1) return false;
      v = p.inputs[0];
    }
    return false;
  }

  assign(v: Value, axis: number, units: readonly UnitId[], role?: Role): void {
    this.p.assign(this.node, v, axis, units, role);
  }

  fresh(n: number): UnitId[] {
    return this.p.sets.fresh(n);
  }

  tie(units: readonly UnitId[]): void {
    for (let i = 1; i < units.length; i++) this.p.sets.union(units[0], units[i]);
  }

  block(reason: string, values: readonly (Value | null | undefined)[] = [...this.node.inputs, ...this.node.outputs]): void {
    this.p.blockValues(this.node, reason, values);
  }

  pending(reason: string, values?: readonly (Value | null | undefined)[]): void {
    if (this.final) this.block(reason, values);
  }

  contracts(v: Value): void {
    const list = this.p.contractions.get(this.node);
    if (list) list.push(v);
    else this.p.contractions.set(this.node, [v]);
  }

  fixup(f: Fixup): void {
    const list = this.p.fixups.get(this.node);
    if (list) list.push(f);
    else this.p.fixups.set(this.node, [f]);
  }
}

/** Nodes torch puts between a weight and its layer; they pass the weight's channels through. */
const WEIGHT_VIEWS = new Set(['Transpose', 'Identity', 'Cast']);

const EMPTY: ReadonlyMap<number, readonly UnitId[]> = new Map();

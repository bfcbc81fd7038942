import { ShearsError } from '../error.js';
import type { Attribute, Int } from './attribute.js';
import type { Graph } from './graph.js';
import type { Tensor } from './tensor.js';
import type { Value } from './value.js';

/** An operation. Missing optional inputs/outputs (empty names in ONNX) are null. */
export class Node {
  name: string;
  opType: string;
  domain: string;
  attributes: Attribute[];
  docString = '';
  private ins: (Value | null)[] = [];
  private outs: (Value | null)[] = [];

  constructor(
    readonly graph: Graph,
    opType: string,
    domain = '',
    name = '',
    attributes: Attribute[] = [],
  ) {
    this.opType = opType;
    this.domain = domain;
    this.name = name;
    this.attributes = attributes;
  }

  get inputs(): readonly (Value | null)[] {
    return this.ins;
  }

  get outputs(): readonly (Value | null)[] {
    return this.outs;
  }

  /** The opset version this node's domain is imported at, in the scope that holds it. */
  get opset(): number {
    return this.graph.opsetFor(this.domain);
  }

  /** `domain::OpType`, or just `OpType` in the default domain. */
  get qualifiedOp(): string {
    return this.domain === '' || this.domain === 'ai.onnx' ? this.opType : `${this.domain}::${this.opType}`;
  }

  setInputs(values: readonly (Value | null)[]): void {
    for (const v of this.ins) if (v) removeOne(v.users, this);
    this.ins = [...values];
    for (const v of this.ins) if (v) v.users.push(this);
  }

  setInput(index: number, value: Value | null): void {
    const old = this.ins[index];
    if (old) removeOne(old.users, this);
    this.ins[index] = value;
    if (value) value.users.push(this);
  }

  setOutputs(values: readonly (Value | null)[]): void {
    for (const v of this.outs) if (v && v.producer === this) v.producer = null;
    this.outs = [...values];
    for (const v of this.outs) {
      if (!v) continue;
      if (v.producer && v.producer !== this) {
        throw new ShearsError('E_MODEL_INVALID', `value '${v.name}' is already produced by ${describe(v.producer)}`, { tensor: v.name });
      }
      v.producer = this;
    }
  }

  /** Detach from all values (used when the node is removed from its graph). */
  detach(): void {
    this.setInputs([]);
    for (const v of this.outs) if (v && v.producer === this) v.producer = null;
  }

  attr(name: string): Attribute | undefined {
    return this.attributes.find((a) => a.name === name);
  }

  setAttr(attribute: Attribute): void {
    const i = this.attributes.findIndex((a) => a.name === attribute.name);
    if (i >= 0) this.attributes[i] = attribute;
    else this.attributes.push(attribute);
  }

  removeAttr(name: string): void {
    this.attributes = this.attributes.filter((a) => a.name !== name);
  }

  getInt(name: string, fallback: number): number;
  getInt(name: string): number | undefined;
  getInt(name: string, fallback?: number): number | undefined {
    const a = this.attr(name);
    if (!a) return fallback;
    if (a.type !== 'int') throw this.attrTypeError(a, 'int');
    return Number(a.value);
  }

  getFloat(name: string, fallback: number): number;
  getFloat(name: string): number | undefined;
  getFloat(name: string, fallback?: number): number | undefined {
    const a = this.attr(name);
    if (!a) return fallback;
    if (a.type === 'int') return Number(a.value);
    if (a.type !== 'float') throw this.attrTypeError(a, 'float');
    return a.value;
  }

  getString(name: string, fallback: string): string;
  getString(name: string): string | undefined;
  getString(name: string, fallback?: string): string | undefined {
    const a = this.attr(name);
    if (!a) return fallback;
    if (a.type !== 'string') throw this.attrTypeError(a, 'string');
    return a.value;
  }

  getInts(name: string, fallback: number[]): number[];
  getInts(name: string): number[] | undefined;
  getInts(name: string, fallback?: number[]): number[] | undefined {
    const a = this.attr(name);
    if (!a) return fallback;
    if (a.type !== 'ints') throw this.attrTypeError(a, 'ints');
    return a.value.map((x: Int) => Number(x));
  }

  getFloats(name: string): number[] | undefined {
    const a = this.attr(name);
    if (!a) return undefined;
    if (a.type !== 'floats') throw this.attrTypeError(a, 'floats');
    return a.value;
  }

  getTensor(name: string): Tensor | undefined {
    const a = this.attr(name);
    if (!a) return undefined;
    if (a.type !== 'tensor') throw this.attrTypeError(a, 'tensor');
    return a.value;
  }

  /** Every subgraph held in this node's attributes (If branches, Loop/Scan bodies). */
  subgraphs(): Graph[] {
    const out: Graph[] = [];
    for (const a of this.attributes) {
      if (a.type === 'graph') out.push(a.value);
      else if (a.type === 'graphs') out.push(...a.value);
    }
    return out;
  }

  private attrTypeError(a: Attribute, expected: string): ShearsError {
    return new ShearsError('E_MODEL_INVALID', `${describe(this)}: attribute '${a.name}' is ${a.type}, expected ${expected}`, { node: this.name });
  }
}

export function describe(node: Node): string {
  return node.name ? `${node.qualifiedOp} node '${node.name}'` : `${node.qualifiedOp} node`;
}

function removeOne<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

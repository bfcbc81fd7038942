/**
 * An emitted module's inputs and outputs in plain JavaScript terms, so that its callers need no
 * shears types: an input is a typed array (its dims taken from the model) or `{ data, dims }`; an
 * output is `{ data, dims, dtype }`. Part of the emitted runtime: no Node-only imports.
 */
import type { RuntimeValue } from '../../../src/backend/value.js';
import { ShearsError } from '../../../src/error.js';
import { arrayConstructor, DType, dtypeFromName, dtypeName, lanes } from '../../../src/ir/dtype.js';
import { elementCount, Tensor } from '../../../src/ir/tensor.js';
import type { Dim } from '../../../src/ir/types.js';

/** A graph input or output as the module describes it: dtype by name ('float32', 'int64', …), dims static, symbolic or null. */
export interface ValueSpec {
  name: string;
  dtype: string;
  shape: Dim[] | null;
  /** An input with a default (an initializer) may be left out. */
  optional?: boolean;
}

export interface PlainTensor {
  data: ArrayLike<unknown>;
  dims: number[];
  dtype: string;
}

export type PlainValue = PlainTensor | PlainTensor[] | null;

/** Feeds in `specs` order; null for a left-out optional input. Sequences (arrays of feeds) only where `sequences` allows. */
export function bindFeeds(feeds: Record<string, unknown>, specs: readonly ValueSpec[], sequences = false): (Tensor | Tensor[] | null)[] {
  if (feeds === null || typeof feeds !== 'object') throw new ShearsError('E_USAGE', `run() takes an object of inputs by name: ${listInputs(specs)}`);
  const names = new Set(specs.map((s) => s.name));
  for (const name of Object.keys(feeds)) {
    if (!names.has(name)) throw new ShearsError('E_SHAPE', `the model has no input '${name}'; its inputs are ${listInputs(specs)}`, { tensor: name });
  }
  return specs.map((spec) => {
    const feed = Object.hasOwn(feeds, spec.name) ? feeds[spec.name] : undefined;
    if (feed === undefined || feed === null) {
      if (spec.optional) return null;
      throw new ShearsError('E_SHAPE', `input '${spec.name}' is missing: the model expects ${describeSpec(spec)}`, { tensor: spec.name });
    }
    if (sequences && Array.isArray(feed) && feed.every((f) => f !== null && typeof f === 'object' && 'data' in f)) {
      return feed.map((f) => tensorFromFeed({ ...spec, shape: null }, f));
    }
    return tensorFromFeed(spec, feed);
  });
}

/** One input as a tensor of the spec's dtype, its dims checked against the spec's static dims. */
export function tensorFromFeed(spec: ValueSpec, feed: unknown): Tensor {
  const dtype = dtypeFromName(spec.dtype) ?? DType.UNDEFINED;
  const fail = (why: string): never => {
    throw new ShearsError('E_SHAPE', `input '${spec.name}' ${why}`, { tensor: spec.name });
  };
  let data: unknown;
  let dims: unknown;
  if (ArrayBuffer.isView(feed)) data = feed;
  else if (feed !== null && typeof feed === 'object' && 'data' in feed) ({ data, dims } = feed as { data: unknown; dims?: unknown });
  else fail(`must be a typed array or { data, dims }, got ${typeof feed}`);
  if (dims === undefined) {
    if (!spec.shape || !spec.shape.every((d) => typeof d === 'number')) fail(`has shape ${describeSpec(spec)}: pass { data, dims }`);
    dims = spec.shape;
  }
  if (!Array.isArray(dims) || !dims.every((d) => Number.isSafeInteger(d) && d >= 0)) fail('has dims that are not a list of non-negative integers');
  const shape = dims as number[];
  if (spec.shape && (spec.shape.length !== shape.length || spec.shape.some((d, i) => typeof d === 'number' && d !== shape[i]))) {
    fail(`has dims [${shape.join(',')}], but the model expects ${describeSpec(spec)}`);
  }
  const count = elementCount(shape) * (dtype === DType.STRING ? 1 : lanes(dtype));
  const values = typedData(dtype, data, fail);
  if (values.length !== count) fail(`has ${values.length} elements, but dims [${shape.join(',')}] hold ${count}`);
  return new Tensor(dtype, [...shape], values, spec.name);
}

function typedData(dtype: DType, data: unknown, fail: (why: string) => never): Tensor['data'] {
  if (dtype === DType.STRING) {
    if (!Array.isArray(data) || !data.every((s) => typeof s === 'string')) fail('is a string tensor: pass an array of strings');
    return data as string[];
  }
  const Ctor = arrayConstructor(dtype);
  if (data instanceof Ctor) return data;
  if (!Array.isArray(data)) fail(`is ${dtypeName(dtype)}: pass a ${Ctor.name} or an array of numbers${ArrayBuffer.isView(data) ? ` (got ${data.constructor.name})` : ''}`);
  const list = data as unknown[];
  const out = new Ctor(list.length);
  const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (typeof x !== 'number' && typeof x !== 'bigint' && typeof x !== 'boolean') fail(`holds ${typeof x} at element ${i}`);
    (out as unknown as (number | bigint)[])[i] = big ? BigInt(x as number) : Number(x);
  }
  return out;
}

export function plainValue(v: RuntimeValue): PlainValue {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map(plainTensor);
  return plainTensor(v);
}

function plainTensor(t: Tensor): PlainTensor {
  return { data: t.data, dims: [...t.dims], dtype: dtypeName(t.dtype) };
}

function describeSpec(spec: ValueSpec): string {
  return `${spec.dtype}${spec.shape ? `[${spec.shape.map((d) => d ?? '?').join(',')}]` : ' of any shape'}`;
}

function listInputs(specs: readonly ValueSpec[]): string {
  return specs.map((s) => `'${s.name}' ${describeSpec(s)}`).join(', ') || 'none';
}

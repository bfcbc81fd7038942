import type { Graph } from './graph.js';
import type { Tensor } from './tensor.js';
import type { ValueType } from './types.js';

interface Attr<T extends string, V> {
  name: string;
  type: T;
  value: V;
  /** Inside a function body: the caller's attribute this one is bound to. */
  refAttrName?: string;
  docString?: string;
}

/** Integers stay JS numbers unless they do not fit exactly (INT64_MAX sentinels), then bigint. */
export type Int = number | bigint;

export type Attribute =
  | Attr<'float', number>
  | Attr<'int', Int>
  | Attr<'string', string>
  | Attr<'tensor', Tensor>
  | Attr<'graph', Graph>
  | Attr<'sparse_tensor', Tensor>
  | Attr<'type_proto', ValueType | undefined>
  | Attr<'floats', number[]>
  | Attr<'ints', Int[]>
  | Attr<'strings', string[]>
  | Attr<'tensors', Tensor[]>
  | Attr<'graphs', Graph[]>
  | Attr<'sparse_tensors', Tensor[]>
  | Attr<'type_protos', (ValueType | undefined)[]>;

export type AttributeType = Attribute['type'];

export function toInt(x: Int): Int {
  return typeof x === 'bigint' && x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;
}

/** Small helpers kernels share for making and reading runtime tensors. */
import { ShearsError } from '../../src/error.js';
import type { RuntimeValue } from '../../src/backend/value.js';
import { DType, NumericArray, arrayConstructor, dtypeName, lanes } from '../../src/ir/dtype.js';
import { describe } from '../../src/ir/node.js';
import type { Node } from '../../src/ir/node.js';
import { Tensor, elementCount } from '../../src/ir/tensor.js';
import type { ValueType } from '../../src/ir/types.js';

/** A new zero-filled tensor (strings: empty). */
export function allocTensor(dtype: DType, dims: readonly number[]): Tensor {
  const n = elementCount(dims);
  if (dtype === DType.STRING) return new Tensor(dtype, dims, new Array<string>(n).fill(''));
  const Ctor = arrayConstructor(dtype);
  return new Tensor(dtype, dims, new Ctor(n * lanes(dtype)));
}

export function numeric(t: Tensor): NumericArray {
  return t.data as NumericArray;
}

/** Input `i` as a tensor; a missing input or a sequence is an error naming the node. */
export function tensorInput(node: Node, inputs: readonly RuntimeValue[], i: number): Tensor {
  const v = inputs[i];
  if (v && !Array.isArray(v)) return v;
  throw new ShearsError('E_MODEL_INVALID', `${describe(node)}: input ${i} must be a tensor, got ${v === null || v === undefined ? 'nothing' : 'a sequence'}`, { node: node.name });
}

/** Input `i` as a tensor, or null when absent. */
export function optionalTensor(inputs: readonly RuntimeValue[], i: number): Tensor | null {
  const v = inputs[i];
  return v && !Array.isArray(v) ? v : null;
}

/** The values of a small integer tensor (shapes, axes) as JS numbers. */
export function intValues(t: Tensor): number[] {
  const d = t.data;
  const out = new Array<number>(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
  return out;
}

export function typeOf(v: RuntimeValue | undefined): ValueType | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return { kind: 'sequence', ...(v.length ? { elem: typeOf(v[0]) } : {}) };
  return { kind: 'tensor', dtype: v.dtype, shape: [...v.dims] };
}

/** Element type and static dims of a tensor input type, as the executor promises them. */
export function tensorTypeOf(node: Node, type: ValueType | undefined, i: number): { dtype: DType; dims: number[] } {
  if (type?.kind === 'tensor' && type.shape && type.shape.every((d) => typeof d === 'number')) return { dtype: type.dtype, dims: type.shape as number[] };
  throw new ShearsError('E_MODEL_INVALID', `${describe(node)}: input ${i} must be a tensor`, { node: node.name });
}

export function sameDims(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The kind of JS value an element is, which decides how a kernel's arithmetic is written. */
export type ElementClass = 'float' | 'int' | 'big' | 'bool' | 'string';

export function elementClass(dtype: DType): ElementClass {
  switch (dtype) {
    case DType.FLOAT:
    case DType.DOUBLE:
    case DType.FLOAT16:
    case DType.BFLOAT16:
      return 'float';
    case DType.INT64:
    case DType.UINT64:
      return 'big';
    case DType.BOOL:
      return 'bool';
    case DType.STRING:
      return 'string';
    default:
      return 'int';
  }
}

export function unsupportedType(node: Node, dtype: DType): ShearsError {
  return new ShearsError('E_UNSUPPORTED_OP', `${describe(node)}: cpu-js has no ${node.opType} kernel for ${dtypeName(dtype)}`, { node: node.name });
}

import { DType, dtypeName } from './dtype.js';

/** A static size, a symbolic name ("batch"), or null when nothing is known. */
export type Dim = number | string | null;

export type ValueType =
  | { kind: 'tensor'; dtype: DType; shape?: Dim[] }
  | { kind: 'sparse_tensor'; dtype: DType; shape?: Dim[] }
  | { kind: 'sequence'; elem?: ValueType }
  | { kind: 'map'; key: DType; value?: ValueType }
  | { kind: 'optional'; elem?: ValueType };

export function tensorType(dtype: DType, shape?: Dim[]): ValueType {
  return shape === undefined ? { kind: 'tensor', dtype } : { kind: 'tensor', dtype, shape };
}

export function formatShape(shape: readonly Dim[] | undefined): string {
  if (shape === undefined) return '?';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(',')}]`;
}

export function formatType(type: ValueType | undefined): string {
  if (!type) return '?';
  switch (type.kind) {
    case 'tensor':
      return `${dtypeName(type.dtype)}${formatShape(type.shape)}`;
    case 'sparse_tensor':
      return `sparse ${dtypeName(type.dtype)}${formatShape(type.shape)}`;
    case 'sequence':
      return `seq(${formatType(type.elem)})`;
    case 'map':
      return `map(${dtypeName(type.key)},${formatType(type.value)})`;
    case 'optional':
      return `optional(${formatType(type.elem)})`;
  }
}

export function isStaticShape(shape: readonly Dim[] | undefined): shape is number[] {
  return shape !== undefined && shape.every((d) => typeof d === 'number');
}

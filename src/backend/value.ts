import type { Tensor } from '../ir/tensor.js';

/**
 * What flows along an edge at run time: a tensor, a sequence of tensors, or an empty optional
 * (null; a missing optional input is null too). An optional that holds something is just that thing.
 */
export type RuntimeValue = Tensor | Tensor[] | null;

export function isSequence(v: RuntimeValue): v is Tensor[] {
  return Array.isArray(v);
}

/** How Scatter* ops combine an update with the value already there ('reduction' attribute). */
import { ShearsError } from '../../src/error.js';
import { describe } from '../../src/ir/node.js';
import type { Node } from '../../src/ir/node.js';

/** Writes `value` into `dst[at]`, combined with what is there; bigints and numbers alike. */
export type Combine = (dst: unknown[], at: number, value: unknown) => void;

type Scalar = number;

const combiners: Record<string, Combine> = {
  none: (dst, at, v) => {
    dst[at] = v;
  },
  add: (dst, at, v) => {
    (dst as Scalar[])[at] += v as Scalar;
  },
  mul: (dst, at, v) => {
    (dst as Scalar[])[at] *= v as Scalar;
  },
  max: (dst, at, v) => {
    if ((v as Scalar) > (dst as Scalar[])[at]) dst[at] = v;
  },
  min: (dst, at, v) => {
    if ((v as Scalar) < (dst as Scalar[])[at]) dst[at] = v;
  },
};

/** The reduction a node asks for, or why it is not offered at its opset (add/mul from 16, max/min from 18). */
export function scatterReduction(node: Node): Combine | string {
  const name = node.getString('reduction', 'none');
  const since: Record<string, number> = { none: 1, add: 16, mul: 16, max: 18, min: 18 };
  if (!(name in since)) return `reduction '${name}' is not one of none, add, mul, max, min`;
  if (node.opset < since[name]) return `reduction '${name}' needs opset ${since[name]}`;
  return combiners[name];
}

export function combineFor(node: Node): Combine {
  const c = scatterReduction(node);
  if (typeof c === 'string') throw new ShearsError('E_UNSUPPORTED_OP', `${describe(node)}: ${c}`, { node: node.name });
  return c;
}

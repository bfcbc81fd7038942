/** Axis arguments: negative axes count from the end; out-of-range ones are the model's error. */
import { ShearsError } from '../../src/error.js';
import { describe } from '../../src/ir/node.js';
import type { Node } from '../../src/ir/node.js';

export function normalizeAxis(node: Node, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!(a >= 0 && a < rank)) throw new ShearsError('E_SHAPE', `${describe(node)}: axis ${axis} is outside a rank-${rank} tensor`, { node: node.name });
  return a;
}

export function normalizeAxes(node: Node, axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => normalizeAxis(node, a, rank));
  if (new Set(out).size !== out.length) throw new ShearsError('E_SHAPE', `${describe(node)}: axes [${axes.join(',')}] repeat an axis`, { node: node.name });
  return out;
}

/** Row-major element strides of a shape. */
export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let step = 1;
  for (let d = dims.length - 1; d >= 0; d--) {
    s[d] = step;
    step *= dims[d];
  }
  return s;
}

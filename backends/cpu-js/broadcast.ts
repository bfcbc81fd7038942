/** Multidirectional (numpy) broadcasting, and the collapsed strided iteration space kernels loop over. */
import { ShearsError } from '../../src/error.js';
import { describe } from '../../src/ir/node.js';
import type { Node } from '../../src/ir/node.js';
import { formatShape } from '../../src/ir/types.js';

export function broadcastDims(node: Node, shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const d = s[i];
      const at = rank - s.length + i;
      if (d === out[at] || d === 1) continue;
      if (out[at] !== 1) {
        throw new ShearsError('E_SHAPE', `${describe(node)}: shapes ${shapes.map((x) => formatShape([...x])).join(', ')} do not broadcast`, { node: node.name });
      }
      out[at] = d;
    }
  }
  return out;
}

/**
 * The iteration space of an elementwise op over `outDims`, with dims of size 1 dropped and adjacent
 * dims merged wherever every input is either full or broadcast across both (so [N,C,H,W] + [1,C,1,1]
 * becomes [N, C, H*W]). `strides[k][d]` is input k's element stride along dim d (0 = broadcast).
 * Always at least one dim, so loops need no rank-0 case.
 */
export interface IterationSpace {
  dims: number[];
  strides: number[][];
}

export function iterationSpace(outDims: readonly number[], inputDims: readonly (readonly number[])[]): IterationSpace {
  const rank = outDims.length;
  const dims: number[] = [];
  const full: boolean[][] = [];
  for (let d = 0; d < rank; d++) {
    if (outDims[d] === 1) continue;
    const flags = inputDims.map((s) => {
      const at = d - (rank - s.length);
      return at >= 0 && s[at] !== 1;
    });
    const prev = full[full.length - 1];
    if (prev && flags.every((f, k) => f === prev[k])) dims[dims.length - 1] *= outDims[d];
    else {
      dims.push(outDims[d]);
      full.push(flags);
    }
  }
  if (dims.length === 0) return { dims: [1], strides: inputDims.map(() => [0]) };
  const strides = inputDims.map((_, k) => {
    const s = new Array<number>(dims.length);
    let step = 1;
    for (let d = dims.length - 1; d >= 0; d--) {
      s[d] = full[d][k] ? step : 0;
      if (full[d][k]) step *= dims[d];
    }
    return s;
  });
  return { dims, strides };
}

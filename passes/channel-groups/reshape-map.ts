import type { Dim } from '../../src/ir/types.js';

/**
 * Input axes and output axes of a reshape that hold the same elements: the smallest runs with
 * equal products. A run of one input axis and one output axis is the same axis; several input axes
 * into one output axis is a merge (Flatten); one into several is a split. Axes of size 1 are runs
 * on their own (with nothing on the other side when the sizes only match without them).
 */
export interface ReshapeBlock {
  inAxes: number[];
  outAxes: number[];
  /** Sizes unknown: which elements go where inside the block cannot be told. */
  opaque?: boolean;
}

/**
 * undefined when the shapes cannot be lined up. Unknown dims (a dynamic batch merged into another
 * axis) make one opaque block between the equal dims at the start and at the end.
 */
export function reshapeBlocks(input: readonly Dim[], output: readonly Dim[]): ReshapeBlock[] | undefined {
  const exact = exactBlocks(input, output);
  if (exact) return exact;
  const same = (a: Dim, b: Dim): boolean => a !== null && a === b;
  const shorter = Math.min(input.length, output.length);
  let head = 0;
  while (head < shorter && same(input[head], output[head])) head++;
  let tail = 0;
  while (tail < shorter - head && same(input[input.length - 1 - tail], output[output.length - 1 - tail])) tail++;
  const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  return [
    ...range(0, head).map((k) => ({ inAxes: [k], outAxes: [k] })),
    { inAxes: range(head, input.length - tail), outAxes: range(head, output.length - tail), opaque: true },
    ...range(0, tail).reverse().map((t) => ({ inAxes: [input.length - 1 - t], outAxes: [output.length - 1 - t] })),
  ];
}

function exactBlocks(input: readonly Dim[], output: readonly Dim[]): ReshapeBlock[] | undefined {
  const blocks: ReshapeBlock[] = [];
  let i = 0;
  let j = 0;
  while (i < input.length || j < output.length) {
    const a = input[i];
    const b = output[j];
    if (i < input.length && j < output.length && a !== null && a === b) {
      blocks.push({ inAxes: [i++], outAxes: [j++] });
    } else if (a === 1) {
      blocks.push({ inAxes: [i++], outAxes: [] });
    } else if (b === 1) {
      blocks.push({ inAxes: [], outAxes: [j++] });
    } else {
      if (typeof a !== 'number' || typeof b !== 'number') return undefined;
      const block: ReshapeBlock = { inAxes: [i++], outAxes: [j++] };
      let pa = a;
      let pb = b;
      while (pa !== pb) {
        const next = pa < pb ? input[i] : output[j];
        if (typeof next !== 'number') return undefined;
        if (pa < pb) {
          pa *= next;
          block.inAxes.push(i++);
        } else {
          pb *= next;
          block.outAxes.push(j++);
        }
      }
      blocks.push(block);
    }
  }
  return blocks;
}

/**
 * Where each index of a merged axis comes from: merging input axes [first..last] into one output
 * axis, output index j holds channel floor(j / inner) mod size of the input's axis `axis`, where
 * inner is the product of the merged axes after it.
 */
export function mergedChannelOf(dims: readonly number[], block: readonly number[], axis: number): (j: number) => number {
  let inner = 1;
  for (const k of block) if (k > axis) inner *= dims[k];
  const size = dims[axis];
  return (j) => Math.floor(j / inner) % size;
}

/**
 * The channel permutation of split → transpose → merge (ShuffleNet's channel shuffle): output index
 * j of the merged axis holds input index perm[j]. `split` are the dims the axis is split into,
 * `order` the transpose's order of them (order[t] = which split dim lands at position t).
 */
export function shufflePermutation(split: readonly number[], order: readonly number[]): number[] {
  const total = split.reduce((a, b) => a * b, 1);
  const strides = split.map((_, k) => split.slice(k + 1).reduce((a, b) => a * b, 1));
  const permuted = order.map((k) => split[k]);
  const perm: number[] = [];
  for (let j = 0; j < total; j++) {
    let rest = j;
    let source = 0;
    for (let t = permuted.length - 1; t >= 0; t--) {
      const digit = rest % permuted[t];
      rest = Math.floor(rest / permuted[t]);
      source += digit * strides[order[t]];
    }
    perm.push(source);
  }
  return perm;
}

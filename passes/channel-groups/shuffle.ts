/**
 * ShuffleNet's channel shuffle, Reshape(split C into G×C/G) → Transpose(swap) → Reshape(merge), is
 * a fixed permutation of the channels: output channel j is input channel perm[j]. Seen as one unit
 * the three nodes couple channels one to one, so any channel may go; when some do, the three nodes
 * become one Gather with the permutation of the kept channels.
 *
 *   before:  %a = Reshape(%x[1,4,H,W], [1,2,2,H,W]); %b = Transpose(%a, perm=[0,2,1,3,4]); %y = Reshape(%b, [1,4,H,W])
 *   after:   %y = Gather(%x, indices=[0,2,1,3], axis=1)          (perm of 4 channels; fewer once pruned)
 */
import { DType } from '../../src/ir/dtype.js';
import type { Node } from '../../src/ir/node.js';
import { Tensor } from '../../src/ir/tensor.js';
import type { Value } from '../../src/ir/value.js';
import { reshapeBlocks, shufflePermutation } from './reshape-map.js';
import type { ChannelRuleContext } from './types.js';

export interface Shuffle {
  head: Node;
  transpose: Node;
  tail: Node;
  axis: number;
  perm: number[];
}

/** The shuffle `node` (a Reshape) is the first or last node of, if it is one. */
export function matchShuffle(ctx: ChannelRuleContext, node: Node): Shuffle | undefined {
  const onlyUser = (v: Value | null | undefined, op: string): Node | undefined => {
    const u = v && !v.isGraphOutput && v.users.length === 1 ? v.users[0] : undefined;
    return u && u.opType === op && u.domain === '' && u.inputs[0] === v ? u : undefined;
  };
  let head: Node | undefined;
  let transpose = onlyUser(node.outputs[0], 'Transpose');
  let tail: Node | undefined;
  if (transpose) {
    head = node;
    tail = onlyUser(transpose.outputs[0], 'Reshape');
  } else {
    tail = node;
    transpose = node.inputs[0]?.producer ?? undefined;
    if (transpose && onlyUser(transpose.outputs[0], 'Reshape') === node && transpose.opType === 'Transpose') {
      const h = transpose.inputs[0]?.producer;
      head = h && h.opType === 'Reshape' && onlyUser(h.outputs[0], 'Transpose') === transpose ? h : undefined;
    }
  }
  if (!head || !transpose || !tail) return undefined;
  const x = ctx.shape(head.inputs[0]);
  const a = ctx.shape(head.outputs[0]);
  const b = ctx.shape(transpose.outputs[0]);
  const y = ctx.shape(tail.outputs[0]);
  if (!x || !a || !b || !y || x.length !== y.length || x.some((d, i) => d !== y[i])) return undefined;
  const splits = (reshapeBlocks(x, a) ?? []).filter((blk) => blk.inAxes.length !== 1 || blk.outAxes.length !== 1);
  const merges = (reshapeBlocks(b, y) ?? []).filter((blk) => blk.inAxes.length !== 1 || blk.outAxes.length !== 1);
  if (splits.length !== 1 || merges.length !== 1) return undefined;
  const [split, merge] = [splits[0], merges[0]];
  if (split.inAxes.length !== 1 || merge.outAxes.length !== 1 || split.inAxes[0] !== merge.outAxes[0]) return undefined;
  const first = split.outAxes[0];
  const span = split.outAxes.length;
  if (merge.inAxes.join() !== split.outAxes.join()) return undefined;
  const perm = transpose.getInts('perm') ?? [];
  if (perm.length !== a.length || perm.some((p, i) => (i < first || i >= first + span ? p !== i : p < first || p >= first + span))) return undefined;
  const dims = split.outAxes.map((k) => a[k]);
  if (dims.some((d) => typeof d !== 'number')) return undefined;
  const order = perm.slice(first, first + span).map((p) => p - first);
  return { head, transpose, tail, axis: split.inAxes[0], perm: shufflePermutation(dims as number[], order) };
}

export function relateShuffle(ctx: ChannelRuleContext, s: Shuffle): void {
  const x = s.head.inputs[0]!;
  const y = s.tail.outputs[0]!;
  for (const [k, units] of ctx.axes(x)) if (k !== s.axis) ctx.assign(y, k, units);
  for (const [k, units] of ctx.axes(y)) if (k !== s.axis) ctx.assign(x, k, units);
  const xu = ctx.units(x, s.axis);
  const yu = ctx.units(y, s.axis);
  if (xu) {
    ctx.assign(y, s.axis, s.perm.map((p) => xu[p]));
  } else if (yu) {
    const back = new Array<number>(s.perm.length);
    s.perm.forEach((p, j) => (back[p] = yu[j]));
    ctx.assign(x, s.axis, back);
  }
  if (ctx.node !== s.tail) return;
  ctx.fixup((apply) => {
    if (!apply.changed(x)) return;
    const newPosition = new Map(apply.keep(x, s.axis)!.map((old, i) => [old, i]));
    const indices = apply.keep(y, s.axis)!.map((j) => newPosition.get(s.perm[j])!);
    const graph = apply.graph;
    s.tail.setOutputs([]);
    const idx = graph.addInitializer(graph.uniqueName(`${y.name}_shuffle_indices`), Tensor.fromNumbers(DType.INT64, [indices.length], indices));
    graph.addNode({
      opType: 'Gather',
      name: `${s.tail.name || 'shuffle'}_as_gather`,
      inputs: [x, idx],
      outputs: [y],
      attributes: [{ name: 'axis', type: 'int', value: s.axis }],
      before: s.tail,
    });
    apply.maybeDead(s.tail);
  });
}

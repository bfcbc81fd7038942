/**
 * Shape of a tensor with channels: its value changes when channels go. That is fine where it only
 * reaches the shape-like inputs of nodes that read the same tensor and get constant ones when
 * channels are removed (Reshape, Slice, Split, Resize), or where only dims without channels are
 * picked out of it. Anything else the count flows into blocks.
 *
 *   %s = Shape(%x); %c = Gather(%s, [1]); %h = Div(%c, 2); %y = Slice(%x, 0, %h, axes=[1])   (torch's chunk)
 */
import type { Node } from '../../src/ir/node.js';
import type { Value } from '../../src/ir/value.js';
import type { ChannelRule, ChannelRuleContext } from './types.js';

/** Integer ops a shape computation goes through on its way to a consumer. */
const ARITHMETIC = new Set(['Gather', 'Unsqueeze', 'Squeeze', 'Concat', 'Add', 'Sub', 'Mul', 'Div', 'Cast', 'Identity', 'Slice', 'Floor', 'Ceil']);

/** Consumers whose shape-like inputs (by index) become constants when the tensor they read loses channels. */
const REWRITTEN: Readonly<Record<string, readonly number[]>> = { Reshape: [1], Slice: [1, 2, 3, 4], Split: [1], Resize: [3] };

export const shapeRule: ChannelRule = {
  ops: ['Shape', 'Size'],
  relate(ctx) {
    const node = ctx.node;
    const x = node.inputs[0];
    const out = node.outputs[0];
    const channelAxes = [...ctx.axes(x).keys()];
    if (!x || !out || !channelAxes.length) return;
    if (node.opType === 'Size') return ctx.block('the element count flows into the graph', [x]);
    const rank = ctx.shape(x)?.length;
    const start = node.getInt('start', 0);
    if (rank === undefined || start !== 0 || node.attr('end')) return ctx.block('Shape with start/end is not pruned', [x]);
    const problem = traceCount(ctx, x, out, channelAxes);
    if (problem) ctx.block(`the channel count flows into ${problem}`, [x]);
  },
};

/** Follow the shape value forward; the first consumer that would see a stale count, or undefined. */
function traceCount(ctx: ChannelRuleContext, x: Value, shape: Value, channelAxes: readonly number[]): string | undefined {
  const seen = new Set<Value>();
  const work: Value[] = [shape];
  while (work.length) {
    const v = work.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    if (v.isGraphOutput) return `graph output '${v.name}'`;
    for (const user of v.users) {
      const at = user.inputs.indexOf(v);
      if (user.inputs[0] === x && REWRITTEN[user.opType]?.includes(at)) continue;
      if (v === shape && user.opType === 'Gather' && at === 0 && picksOnly(ctx, user, channelAxes)) continue;
      if (!ARITHMETIC.has(user.opType) || user.domain !== '') return describeNode(user);
      for (const o of user.outputs) if (o) work.push(o);
    }
  }
  return undefined;
}

function picksOnly(ctx: ChannelRuleContext, gather: Node, channelAxes: readonly number[]): boolean {
  const picked = ctx.ints(gather.inputs[1]);
  const rank = ctx.shape(gather.inputs[0])?.[0];
  if (!picked || typeof rank !== 'number') return false;
  return picked.every((i) => !channelAxes.includes(i < 0 ? i + rank : i));
}

function describeNode(n: Node): string {
  return n.name ? `${n.opType} node '${n.name}'` : `a ${n.opType} node`;
}

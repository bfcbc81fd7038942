/**
 * Conv and ConvTranspose: output channels are new units (the filters); input channels are the
 * input's units, read through the weight's input axis.
 *
 *   group = 1         W[out, in]         out: fresh units        in: x's units
 *   depthwise         W[g*m + j, 0]      out channel g*m+j is x's channel g (removing g removes its m filters; `group` shrinks)
 *   group = G > 1     W[g*co + j, i]     channel i of every group is one unit (in and out), so all groups keep the same size
 *
 * A conv with one input channel and group = 1 is an ordinary conv, not a depthwise one.
 */
import { unitAxesExcept } from './axes.js';
import type { ChannelRule, ChannelRuleContext, UnitId } from './types.js';

export const convRule: ChannelRule = {
  ops: ['Conv', 'ConvTranspose'],
  relate(ctx) {
    const node = ctx.node;
    const [x, w, b] = node.inputs;
    const y = node.outputs[0];
    const W = ctx.isWeight(w) ? { dims: ctx.shape(w) ?? [] } : undefined;
    if (!x || !w || !y || !W || W.dims.length < 3 || W.dims.some((d) => typeof d !== 'number')) return ctx.block('its weight is not a constant');
    if (b && !ctx.isWeight(b)) return ctx.block('its bias is not a constant');
    if (unitAxesExcept(ctx, x, [1]).length || unitAxesExcept(ctx, y, [1]).length) return ctx.block('channels on a batch or spatial axis');
    const transposed = node.opType === 'ConvTranspose';
    const group = node.getInt('group', 1);
    const [inAxis, outAxis] = transposed ? [0, 1] : [1, 0];
    const [d0, d1] = W.dims as number[];
    const inPerGroup = transposed ? d0 / group : d1;
    const outPerGroup = transposed ? d1 : d0 / group;
    if (!Number.isInteger(inPerGroup) || !Number.isInteger(outPerGroup) || group < 1) return ctx.block('its group attribute does not divide the weight');
    if (transposed && group > 1) return ctx.block('grouped ConvTranspose is not pruned');

    const xu = ctx.units(x, 1) ?? ctx.fresh(inPerGroup * group);
    ctx.assign(x, 1, xu);
    ctx.contracts(x);
    let yu: readonly UnitId[];
    if (group > 1 && inPerGroup === 1) {
      yu = repeatEach(xu, outPerGroup);
      ctx.fixup((apply) => {
        if (apply.changed(x)) node.setAttr({ name: 'group', type: 'int', value: apply.keep(x, 1)!.length });
      });
    } else if (group > 1) {
      tieAcrossGroups(ctx, xu, group, inPerGroup);
      ctx.assign(w, inAxis, xu.slice(0, inPerGroup), 'weight-in');
      yu = ctx.units(y, 1) ?? tile(ctx.fresh(outPerGroup), group);
      tieAcrossGroups(ctx, yu, group, outPerGroup);
    } else {
      ctx.assign(w, inAxis, xu, 'weight-in');
      yu = ctx.units(y, 1) ?? ctx.fresh(outPerGroup);
    }
    ctx.assign(y, 1, yu);
    ctx.assign(w, outAxis, yu, 'weight-out');
    if (b) ctx.assign(b, 0, yu, 'bias');
  },
  zero: () => true,
};

function tieAcrossGroups(ctx: ChannelRuleContext, units: readonly UnitId[], group: number, perGroup: number): void {
  for (let i = 0; i < perGroup; i++) {
    const same: UnitId[] = [];
    for (let g = 0; g < group; g++) same.push(units[g * perGroup + i]);
    ctx.tie(same);
  }
}

function repeatEach(units: readonly UnitId[], times: number): UnitId[] {
  const out: UnitId[] = [];
  for (const u of units) for (let j = 0; j < times; j++) out.push(u);
  return out;
}

function tile(units: readonly UnitId[], times: number): UnitId[] {
  const out: UnitId[] = [];
  for (let g = 0; g < times; g++) out.push(...units);
  return out;
}

/**
 * Per-channel normalizations follow their input's channels: BatchNormalization (scale, shift and
 * running statistics sliced with it) and InstanceNormalization (scale, shift). LayerNormalization
 * normalizes over its trailing axes: a channel there cannot be removed without changing every
 * other one, so it blocks; channels on the leading axes pass.
 */
import { normalizeAxis, rankOf, unitAxesExcept } from './axes.js';
import type { ChannelRule, Role } from './types.js';

const PARAM_ROLES: readonly Role[] = ['bn-scale', 'bn-shift', 'stat', 'stat'];

export const perChannelNormRule: ChannelRule = {
  ops: ['BatchNormalization', 'InstanceNormalization'],
  relate(ctx) {
    const node = ctx.node;
    const [x, ...params] = node.inputs;
    const y = node.outputs[0];
    if (!x || !y) return ctx.block('missing input or output');
    if (node.outputs.slice(1).some((v) => v && (v.users.length || v.isGraphOutput)) || node.getInt('training_mode', 0)) {
      return ctx.block('it runs in training mode');
    }
    if (params.some((p) => !ctx.constant(p))) return ctx.block('its parameters are not constants');
    if (unitAxesExcept(ctx, x, [1]).length || unitAxesExcept(ctx, y, [1]).length) return ctx.block('channels on a batch or spatial axis');
    const units = ctx.units(x, 1) ?? ctx.units(y, 1);
    if (!units) return;
    ctx.assign(x, 1, units);
    ctx.assign(y, 1, units);
    params.forEach((p, i) => ctx.assign(p!, 0, units, PARAM_ROLES[i]));
  },
  zero: () => true,
};

export const layerNormRule: ChannelRule = {
  ops: ['LayerNormalization'],
  relate(ctx) {
    const node = ctx.node;
    const x = node.inputs[0];
    const y = node.outputs[0];
    const rank = rankOf(ctx, x);
    const first = rank === undefined ? undefined : normalizeAxis(node.getInt('axis', -1), rank);
    if (!x || !y || first === undefined) return ctx.block('the rank of its input is unknown');
    if (node.outputs.slice(1).some((v) => v && (v.users.length || v.isGraphOutput))) return ctx.block('its mean and variance outputs are used');
    for (const v of [x, y]) {
      for (const k of ctx.axes(v).keys()) if (k >= first) return ctx.block('LayerNormalization normalizes over the channel axis');
    }
    for (const [k, units] of ctx.axes(x)) ctx.assign(y, k, units);
    for (const [k, units] of ctx.axes(y)) ctx.assign(x, k, units);
  },
};

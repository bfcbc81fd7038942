/**
 * prune-channels — structured pruning: remove whole channels (conv filters, linear neurons) and
 * rewrite every tensor coupled to them, so the model gets physically smaller and faster.
 *
 *   before:  %a = Conv(%x, W1[64,3,3,3]) %b = Relu(%a) %y = Conv(%b, W2[10,64,3,3])
 *   after:   %a = Conv(%x, W1[32,3,3,3]) %b = Relu(%a) %y = Conv(%b, W2[10,32,3,3])   (ratio=0.5)
 */
import type { Model } from '../src/ir/model.js';
import { definePass, OptionValues, PassContext, Stats } from '../src/pass/pass.js';
import { ShearsError } from '../src/error.js';
import { splitPatterns } from './prune-magnitude/glob.js';
import { CRITERIA, Criterion } from './prune-channels/importance.js';
import { PRUNE_CHANNELS_DEFAULTS, pruneChannels } from './prune-channels/prune.js';
import { formatReport, PruneChannelsReport } from './prune-channels/report.js';

const options = {
  ratio: { type: 'number', default: PRUNE_CHANNELS_DEFAULTS.ratio, min: 0, max: 1, doc: 'fraction of the channels of every group to remove, at least 0 and below 1' },
  'global-ratio': { type: 'number', default: 0, min: 0, max: 1, doc: 'instead of ratio: fraction of all prunable channels to remove, ranked across groups (0: off)' },
  criterion: { type: 'enum', values: CRITERIA, default: PRUNE_CHANNELS_DEFAULTS.criterion, doc: 'channel importance: l1/l2 of all coupled weights, bn-gamma (|BatchNorm scale|), random (a baseline)' },
  'round-to': { type: 'int', default: PRUNE_CHANNELS_DEFAULTS.roundTo, min: 1, doc: 'keep channel counts of each group a multiple of this (e.g. 8)' },
  'min-channels': { type: 'int', default: PRUNE_CHANNELS_DEFAULTS.minChannels, min: 1, doc: 'every group keeps at least this many channels' },
  include: { type: 'string', default: '', doc: 'prune only groups touching a node or tensor whose name matches one of these globs (separated by |)' },
  exclude: { type: 'string', default: '', doc: 'leave groups touching a node or tensor whose name matches one of these globs (separated by |)' },
  mode: { type: 'enum', values: ['remove', 'zero'], default: PRUNE_CHANNELS_DEFAULTS.mode, doc: 'remove: slice the channels out; zero: only zero them in place (soft pruning)' },
  seed: { type: 'int', default: PRUNE_CHANNELS_DEFAULTS.seed, min: 0, doc: 'seed of criterion=random' },
  explain: { type: 'boolean', default: false, doc: 'list every group, and which node blocked or fixed it' },
} as const;

export type PruneChannelsPassOptions = OptionValues<typeof options>;

const description = `Structured channel pruning. A dependency analysis (channel-groups) finds groups of
coupled channel axes: every conv writing into one residual sum, a depthwise conv's input and output,
BatchNorm/PRelu/bias slices of their producer, Concat offsets, Split/Slice windows, Flatten blocks
(channel c of a [N,C,H,W] tensor is features c·H·W … (c+1)·H·W−1), ShuffleNet's channel shuffle
(becomes a Gather), tied group-conv channels. Each group loses floor(ratio·n) of its channels, the
ones of lowest importance aggregated over all its tensors (or global-ratio across groups), keeping
min-channels and rounding kept counts up to round-to. Anything the analysis does not understand
blocks the groups it touches (never guessed); explain=true says which node blocked which group.
Graph inputs and outputs keep their channels. mode=zero only zeroes the chosen channels' filters,
biases and BatchNorm scale/shift, which makes them exactly zero; removing them then gives the same
outputs.

  before:  %a = Conv(%x, W1[64,3,3,3]) %b = Relu(%a) %y = Conv(%b, W2[10,64,3,3])
  after:   %a = Conv(%x, W1[32,3,3,3]) %b = Relu(%a) %y = Conv(%b, W2[10,32,3,3])   (ratio=0.5)`;

/** The pass; `onReport` receives the report of every run (the prune command prints it). */
export function createPruneChannelsPass(onReport?: (report: PruneChannelsReport) => void) {
  return definePass({
    name: 'prune-channels',
    summary: 'Remove the least important channels of every group of coupled channels (structured pruning)',
    description,
    options,
    statistics: {
      'channels-removed': 'channels removed (or zeroed) from layer outputs',
      'groups-pruned': 'channel groups that lost channels',
      'groups-blocked': 'channel groups left alone because a node the analysis does not understand touches them',
      'params-removed': 'float parameters removed',
    },
    run(model: Model, o: PruneChannelsPassOptions, ctx: PassContext) {
      if (o['global-ratio'] > 0 && o.ratio !== PRUNE_CHANNELS_DEFAULTS.ratio) {
        throw new ShearsError('E_PIPELINE', 'prune-channels takes ratio or global-ratio, not both');
      }
      for (const name of ['ratio', 'global-ratio'] as const) {
        if (o[name] >= 1) throw new ShearsError('E_PIPELINE', `option '${name}' of pass 'prune-channels' must be below 1 (every group keeps a channel), got ${o[name]}`);
      }
      const report = pruneChannels(model, {
        ratio: o.ratio,
        globalRatio: o['global-ratio'] > 0 ? o['global-ratio'] : undefined,
        criterion: o.criterion as Criterion,
        roundTo: o['round-to'],
        minChannels: o['min-channels'],
        include: splitPatterns(o.include),
        exclude: splitPatterns(o.exclude),
        mode: o.mode as 'remove' | 'zero',
        seed: o.seed,
      });
      for (const w of report.warnings) ctx.note(w);
      if (onReport) onReport(report);
      else ctx.note(formatReport(report, o.explain));
      const stats = new Stats();
      stats.add('channels-removed', report.channels.removed);
      stats.add('groups-pruned', report.groups.filter((g) => g.removedUnits > 0).length);
      stats.add('params-removed', report.params.before - report.params.after);
      const result = stats.result();
      result.stats['groups-blocked'] = report.groups.filter((g) => g.status === 'blocked').length;
      return result;
    },
  });
}

export default createPruneChannelsPass();

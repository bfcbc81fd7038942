/**
 * prune-channels end to end: analyse the groups, score and choose units (decide), remove or zero
 * them (apply), and measure what changed.
 */
import { ShearsError } from '../../src/error.js';
import type { Model } from '../../src/ir/model.js';
import { analyzeChannels, ChannelAnalysis, ChannelGroup } from '../channel-groups.js';
import type { UnitId } from '../channel-groups/types.js';
import { globToRegExp } from '../prune-magnitude/glob.js';
import { applySelection, ApplyMode } from './apply.js';
import { measureModel } from './cost.js';
import { seededRandom } from '../../src/util/random.js';
import { Criterion, hasGamma, unitScores } from './importance.js';
import { buildReport, constantElements, PruneChannelsReport } from './report.js';
import { selectUnits } from './select.js';

export interface PruneChannelsOptions {
  /** Fraction of each group's units to remove, in [0, 1). */
  ratio: number;
  /** Fraction of all prunable units to remove, ranked across groups; replaces `ratio`. */
  globalRatio?: number;
  criterion: Criterion;
  roundTo: number;
  minChannels: number;
  /** Globs on node and tensor names: only groups touching a match (empty: all). */
  include: readonly string[];
  /** Globs on node and tensor names: groups touching a match are left alone. */
  exclude: readonly string[];
  mode: ApplyMode;
  seed: number;
  /** Decide yourself instead (tests: random selections); gets the prunable, not excluded groups. */
  choose?: (groups: readonly ChannelGroup[], analysis: ChannelAnalysis) => Set<UnitId>;
}

export const PRUNE_CHANNELS_DEFAULTS = { ratio: 0.5, criterion: 'l1', roundTo: 1, minChannels: 1, mode: 'remove', seed: 0 } as const;

export function pruneChannels(model: Model, o: PruneChannelsOptions): PruneChannelsReport {
  checkRatio('ratio', o.ratio);
  if (o.globalRatio !== undefined) checkRatio('global-ratio', o.globalRatio);
  if (!(o.roundTo >= 1) || !(o.minChannels >= 1)) throw new ShearsError('E_USAGE', 'round-to and min-channels must be at least 1');
  const analysis = analyzeChannels(model);
  const warnings: string[] = [];
  const { eligible, excluded } = filterGroups(analysis.groups, o.include, o.exclude, warnings);
  if (!eligible.length) {
    const blocked = analysis.groups.filter((g) => g.status === 'blocked').length;
    warnings.push(`nothing to prune: no channel group is prunable (${blocked} blocked, ${analysis.groups.length - blocked} others); the model is unchanged`);
  }
  if (o.criterion === 'bn-gamma' && eligible.some((g) => !hasGamma(g))) warnings.push('bn-gamma: groups without a BatchNormalization are scored by l1');
  const before = measureModel(model);
  const random = seededRandom(o.seed);
  const scores = new Map(eligible.map((g) => [g, unitScores(g, o.criterion, random)]));
  const removed = o.choose
    ? o.choose(eligible, analysis)
    : selectUnits(eligible, scores, { ratio: o.ratio, globalRatio: o.globalRatio, roundTo: o.roundTo, minChannels: o.minChannels });
  const paramsBefore = new Map(analysis.groups.map((g) => [g, constantElements(g)]));
  applySelection(analysis, removed, o.mode);
  return buildReport(analysis, removed, excluded, before, measureModel(model), paramsBefore, warnings);
}

function checkRatio(name: string, r: number): void {
  if (!(r >= 0 && r < 1)) throw new ShearsError('E_USAGE', `${name} must be at least 0 and below 1 (a group always keeps a channel), got ${r}`);
}

function filterGroups(groups: readonly ChannelGroup[], include: readonly string[], exclude: readonly string[], warnings: string[]) {
  const names = new Map(groups.map((g) => [g, groupNames(g)]));
  const matches = (g: ChannelGroup, re: RegExp): boolean => names.get(g)!.some((n) => re.test(n));
  const compile = (patterns: readonly string[]): RegExp[] =>
    patterns.map((p) => {
      const re = globToRegExp(p);
      if (!groups.some((g) => matches(g, re))) warnings.push(`pattern '${p}' matches no layer or tensor of any channel group`);
      return re;
    });
  const inc = compile(include);
  const exc = compile(exclude);
  const excluded = new Set<ChannelGroup>();
  const eligible: ChannelGroup[] = [];
  for (const g of groups) {
    if (g.status !== 'prunable') continue;
    const out = (inc.length && !inc.some((re) => matches(g, re))) || exc.some((re) => matches(g, re));
    if (out) excluded.add(g);
    else eligible.push(g);
  }
  return { eligible, excluded };
}

/** Names a pattern can match: the group's layers and every tensor it touches. */
function groupNames(g: ChannelGroup): string[] {
  return [...g.sources.map((n) => n.name), ...g.members.map((m) => m.value.name)].filter((n) => n);
}

/**
 * Decide which units go. Per group (`ratio`): the floor(ratio·n) lowest-scoring units of each
 * group. Across groups (`globalRatio`): the lowest-scoring units of all groups together until that
 * fraction of all units is reached. Either way a group keeps at least `minChannels` units, and its
 * kept count is rounded up to a multiple of `roundTo`. Ties go to the unit created first.
 */
import type { ChannelGroup } from '../channel-groups.js';
import type { UnitId } from '../channel-groups/types.js';

export interface SelectOptions {
  /** Per group; ignored when globalRatio is given. */
  ratio: number;
  globalRatio?: number;
  roundTo: number;
  minChannels: number;
}

export function selectUnits(groups: readonly ChannelGroup[], scores: ReadonlyMap<ChannelGroup, Float64Array>, o: SelectOptions): Set<UnitId> {
  const removed = new Set<UnitId>();
  const keepCount = (g: ChannelGroup, wanted: number): number => {
    const n = g.units.length;
    const floor = Math.max(wanted, Math.min(o.minChannels, n));
    return Math.min(n, Math.ceil(floor / o.roundTo) * o.roundTo);
  };
  const lowest = (g: ChannelGroup): number[] => {
    const s = scores.get(g)!;
    return g.units.map((_, i) => i).sort((a, b) => s[a] - s[b] || a - b);
  };
  if (o.globalRatio === undefined) {
    for (const g of groups) {
      const n = g.units.length;
      const keep = keepCount(g, n - Math.floor(o.ratio * n + 1e-9));
      for (const i of lowest(g).slice(0, n - keep)) removed.add(g.units[i]);
    }
    return removed;
  }
  const ranked = groups.flatMap((g) => lowest(g).map((i) => ({ g, i, score: scores.get(g)![i] })));
  ranked.sort((a, b) => a.score - b.score || a.g.id - b.g.id || a.i - b.i);
  const total = ranked.length;
  const target = Math.floor(o.globalRatio * total + 1e-9);
  const left = new Map(groups.map((g) => [g, g.units.length]));
  const chosen = new Map<ChannelGroup, number[]>(groups.map((g) => [g, []]));
  let count = 0;
  for (const { g, i } of ranked) {
    if (count >= target) break;
    if (left.get(g)! <= Math.max(1, o.minChannels)) continue;
    left.set(g, left.get(g)! - 1);
    chosen.get(g)!.push(i);
    count++;
  }
  for (const g of groups) {
    const picks = chosen.get(g)!;
    const keep = keepCount(g, g.units.length - picks.length);
    for (const i of picks.slice(0, g.units.length - keep)) removed.add(g.units[i]);
  }
  return removed;
}

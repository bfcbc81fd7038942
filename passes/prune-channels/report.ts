/**
 * What prune-channels did, per group and in total, and the `--explain` text: which node blocked
 * which group, and why.
 */
import type { Node } from '../../src/ir/node.js';
import type { ChannelAnalysis, ChannelGroup, GroupStatus } from '../channel-groups.js';
import type { UnitId } from '../channel-groups/types.js';
import type { ModelCost } from './cost.js';

export interface GroupReport {
  id: number;
  label: string;
  status: GroupStatus | 'excluded';
  reasons: readonly string[];
  units: number;
  channels: number;
  removedUnits: number;
  /** Channels removed from the group's widest layer output. */
  removedChannels: number;
  params: { before: number; after: number };
  flops: { before: number; after: number };
}

export interface PruneChannelsReport {
  groups: GroupReport[];
  params: { before: number; after: number };
  flops: { before: number; after: number };
  /** Channels of layer outputs: in groups that may be pruned, blocked, or fixed (graph inputs/outputs). */
  channels: { prunable: number; blocked: number; fixed: number; removed: number };
  /** prunable / (prunable + blocked): the share of channels the analysis could reach. */
  reachable: number;
  warnings: string[];
}

export function buildReport(
  analysis: ChannelAnalysis,
  removed: ReadonlySet<UnitId>,
  excluded: ReadonlySet<ChannelGroup>,
  before: ModelCost,
  after: ModelCost,
  paramsBefore: ReadonlyMap<ChannelGroup, number>,
  warnings: string[],
): PruneChannelsReport {
  const groups = analysis.groups.map((g): GroupReport => {
    const removedUnits = g.units.filter((u) => removed.has(u)).length;
    const layers = layersOf(g);
    const sum = (cost: ModelCost): number => layers.reduce((n, node) => n + (cost.nodeFlops.get(node) ?? 0), 0);
    return {
      id: g.id,
      label: g.label,
      status: excluded.has(g) ? 'excluded' : g.status,
      reasons: g.reasons,
      units: g.units.length,
      channels: g.channels,
      removedUnits,
      removedChannels: Math.round((removedUnits / g.units.length) * g.channels),
      params: { before: paramsBefore.get(g) ?? 0, after: constantElements(g) },
      flops: { before: sum(before), after: sum(after) },
    };
  });
  const total = (status: GroupStatus): number => analysis.groups.filter((g) => g.status === status).reduce((n, g) => n + g.channels, 0);
  const channels = {
    prunable: total('prunable'),
    blocked: total('blocked'),
    fixed: total('fixed'),
    removed: groups.reduce((n, g) => n + g.removedChannels, 0),
  };
  const reachable = channels.prunable + channels.blocked ? channels.prunable / (channels.prunable + channels.blocked) : 1;
  return {
    groups,
    params: { before: before.params, after: after.params },
    flops: { before: before.flops, after: after.flops },
    channels,
    reachable,
    warnings,
  };
}

/** Elements of the constants a group slices (each counted once), as they are now. */
export function constantElements(g: ChannelGroup): number {
  const seen = new Set<unknown>();
  let n = 0;
  for (const m of g.members) {
    const c = m.value.constant;
    if (!c || seen.has(m.value)) continue;
    seen.add(m.value);
    n += c.size;
  }
  return n;
}

/** The Conv/Gemm/MatMul nodes that read or write the group's channels. */
function layersOf(g: ChannelGroup): Node[] {
  const layers = new Set<Node>();
  for (const m of g.members) {
    const v = m.value;
    if (v.producer && isLayer(v.producer)) layers.add(v.producer);
    for (const u of v.users) if (isLayer(u)) layers.add(u);
  }
  return [...layers];
}

function isLayer(n: Node): boolean {
  return n.opType === 'Conv' || n.opType === 'ConvTranspose' || n.opType === 'Gemm' || n.opType === 'MatMul';
}

export function formatReport(r: PruneChannelsReport, explain: boolean): string {
  const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');
  const lines = [
    `channels: ${r.channels.prunable} prunable, ${r.channels.blocked} blocked, ${r.channels.fixed} fixed (graph inputs/outputs); reachable ${(100 * r.reachable).toFixed(1)}%; removed ${r.channels.removed}`,
    `params: ${r.params.before} -> ${r.params.after} (${pct(r.params.after, r.params.before)})`,
    `FLOPs:  ${r.flops.before} -> ${r.flops.after} (${pct(r.flops.after, r.flops.before)})`,
  ];
  const shown = explain ? r.groups : r.groups.filter((g) => g.removedUnits > 0);
  if (shown.length) lines.push('', 'group  status     kept/units  channels  params before -> after  FLOPs before -> after  layers');
  for (const g of shown) {
    lines.push(
      `#${String(g.id).padEnd(5)} ${g.status.padEnd(10)} ${`${g.units - g.removedUnits}/${g.units}`.padStart(10)}  ${String(g.channels).padStart(8)}  ${`${g.params.before} -> ${g.params.after}`.padStart(22)}  ${`${g.flops.before} -> ${g.flops.after}`.padStart(21)}  ${g.label}`,
    );
    if (explain) for (const reason of g.reasons.slice(0, 5)) lines.push(`         because of ${reason}`);
    if (explain && g.reasons.length > 5) lines.push(`         … and ${g.reasons.length - 5} more`);
  }
  return lines.join('\n');
}

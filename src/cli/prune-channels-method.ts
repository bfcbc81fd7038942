/** `shears prune --channels R …`: structured channel pruning (the prune-channels pass). */
import { createPruneChannelsPass } from '../../passes/prune-channels.js';
import { CRITERIA } from '../../passes/prune-channels/importance.js';
import { PRUNE_CHANNELS_DEFAULTS } from '../../passes/prune-channels/prune.js';
import { formatReport, PruneChannelsReport } from '../../passes/prune-channels/report.js';
import { ShearsError } from '../error.js';
import { parseOptions } from '../pass/options.js';
import type { ParsedArgs } from './args.js';
import type { PlannedPrune, PruneMethod } from './prune-method.js';

/** The pipeline step and report of `--channels` and its companion options; null when --channels is not given. */
export function pruneChannelsForCli(args: ParsedArgs): PlannedPrune | null {
  const o = args.options;
  if (!o.has('channels')) return null;
  const patterns = (name: string): string => {
    const list = (o.get(name) as string[] | undefined) ?? [];
    if (list.some((p) => p.includes('|'))) throw new ShearsError('E_USAGE', `--${name} takes one glob per use; repeat --${name} for several`);
    return list.join('|');
  };
  const scope = (o.get('channel-scope') as string | undefined) ?? 'group';
  if (scope !== 'group' && scope !== 'global') throw new ShearsError('E_USAGE', `--channel-scope must be group or global, got '${scope}'`);
  const ratio = o.get('channels') as number;
  if (!(ratio >= 0 && ratio < 1)) throw new ShearsError('E_USAGE', `--channels must be at least 0 and below 1 (a group always keeps a channel), got ${ratio}`);
  const given = new Map<string, string>([[scope === 'global' ? 'global-ratio' : 'ratio', String(ratio)]]);
  const set = (key: string, flag: string): void => {
    if (o.has(flag)) given.set(key, String(o.get(flag)));
  };
  set('criterion', 'channel-criterion');
  set('round-to', 'round-to');
  set('min-channels', 'min-channels');
  set('mode', 'channel-mode');
  set('seed', 'channel-seed');
  set('explain', 'explain');
  if (o.has('channel-include')) given.set('include', patterns('channel-include'));
  if (o.has('channel-exclude')) given.set('exclude', patterns('channel-exclude'));
  let report: PruneChannelsReport | undefined;
  const pass = createPruneChannelsPass((r) => (report = r));
  const options = parseOptions(pass.name, pass.options, given);
  return {
    steps: [{ kind: 'pass', pass, options }],
    describe: () => (report ? formatReport(report, o.get('explain') === true) : ''),
    json: () => report && { channels: report },
  };
}

export const channelsMethod: PruneMethod = {
  usage: '--channels R (structured channel pruning)',
  options: [
    { name: 'channels', type: 'number', value: 'R', description: 'remove this fraction of the channels of every group of coupled channels (0 <= R < 1)' },
    { name: 'channel-scope', type: 'string', value: 'group|global', description: 'group: R of every group; global: R of all channels, ranked across groups (default group)' },
    { name: 'channel-criterion', type: 'string', value: CRITERIA.join('|'), description: `importance of a channel (default ${PRUNE_CHANNELS_DEFAULTS.criterion})` },
    { name: 'round-to', type: 'number', value: 'N', description: 'keep channel counts multiples of N (default 1)' },
    { name: 'min-channels', type: 'number', value: 'N', description: 'every group keeps at least N channels (default 1)' },
    { name: 'channel-include', type: 'string[]', value: 'GLOB', description: 'prune only channel groups touching a node or tensor whose name matches' },
    { name: 'channel-exclude', type: 'string[]', value: 'GLOB', description: 'leave channel groups touching a node or tensor whose name matches' },
    { name: 'channel-mode', type: 'string', value: 'remove|zero', description: 'remove the channels, or only zero them in place (default remove)' },
    { name: 'channel-seed', type: 'number', value: 'N', description: 'seed of --channel-criterion random (default 0)' },
    { name: 'explain', type: 'boolean', description: 'list every channel group and which node blocked it' },
  ],
  plan: pruneChannelsForCli,
};

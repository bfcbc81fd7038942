/** `shears prune --sparsity S …`: unstructured magnitude pruning (the prune-magnitude pass). */
import { createPruneMagnitudePass } from '../../passes/prune-magnitude.js';
import { CRITERION_NAMES } from '../../passes/prune-magnitude/criterion.js';
import { formatLayerTable } from '../../passes/prune-magnitude/layer-table.js';
import { PRUNE_DEFAULTS, PruneReport } from '../../passes/prune-magnitude/prune.js';
import { ShearsError } from '../error.js';
import { parseOptions } from '../pass/options.js';
import type { ParsedArgs } from './args.js';
import type { PruneMethod } from './prune-method.js';

export const magnitudeMethod: PruneMethod = {
  usage: '--sparsity S (magnitude pruning)',
  options: [
    { name: 'sparsity', type: 'number', value: 'S', description: 'make this fraction of the weights zero, the smallest by magnitude (0 <= S < 1)' },
    { name: 'scope', type: 'string', value: 'layer|global', description: `layer: S of every weight; global: one threshold over all weights (default ${PRUNE_DEFAULTS.scope})` },
    { name: 'criterion', type: 'string', value: CRITERION_NAMES.join('|'), description: `importance of a weight (default ${PRUNE_DEFAULTS.criterion})` },
    { name: 'include', type: 'string[]', value: 'GLOB', description: 'prune only weights whose name or consumer node name matches' },
    { name: 'exclude', type: 'string[]', value: 'GLOB', description: 'never prune weights whose name or consumer node name matches' },
    { name: 'min-params', type: 'number', value: 'N', description: `leave weights with fewer elements alone (default ${PRUNE_DEFAULTS.minParams})` },
    { name: 'skip-first-last', type: 'boolean', description: 'leave the first and the last prunable layer alone' },
    { name: 'save-masks', type: 'string', value: 'FILE', description: 'write the pruning masks to this JSON file' },
    { name: 'masks', type: 'string', value: 'FILE', description: 'apply the masks in this file instead of deciding by magnitude' },
  ],
  plan(args: ParsedArgs) {
    const o = args.options;
    if (!o.has('sparsity') && !o.has('masks')) return null;
    const patterns = (name: string): string => {
      const list = (o.get(name) as string[] | undefined) ?? [];
      if (list.some((p) => p.includes('|'))) throw new ShearsError('E_USAGE', `--${name} takes one glob per use; repeat --${name} for several`);
      return list.join('|');
    };
    const given = new Map<string, string>();
    const set = (key: string, value: unknown) => value !== undefined && given.set(key, String(value));
    for (const key of ['sparsity', 'scope', 'criterion', 'min-params', 'masks', 'save-masks']) set(key, o.get(key));
    if (o.get('skip-first-last')) given.set('skip-first-last', 'true');
    if (o.has('include')) given.set('include', patterns('include'));
    if (o.has('exclude')) given.set('exclude', patterns('exclude'));
    let report: PruneReport | undefined;
    const pass = createPruneMagnitudePass((r) => (report = r));
    // The same option parsing as pipeline text, without its quoting: a path may hold ',' or '}'.
    const options = parseOptions(pass.name, pass.options, given);
    return {
      steps: [{ kind: 'pass', pass, options }],
      describe: () => (report ? describeReport(report) : ''),
      json: () => report && { layers: report.layers, skipped: report.skipped },
    };
  },
};

function describeReport(report: PruneReport): string {
  const parts: string[] = [];
  if (report.layers.length) parts.push(`per weight\n${formatLayerTable(report)}`);
  const byReason = new Map<string, string[]>();
  for (const s of report.skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.name]);
  for (const [reason, names] of byReason) parts.push(`left alone (${reason}): ${names.join(', ')}`);
  return parts.join('\n');
}

/** The per-weight table a pruning run reports (pass notes, `shears prune`). */
import { table, withCommas } from '../../src/cli/format.js';
import type { PruneReport } from './prune.js';

export function formatLayerTable(report: PruneReport): string {
  const percent = (zeros: number, params: number) => `${params ? ((zeros / params) * 100).toFixed(2) : '0.00'}%`;
  const rows = report.layers.map((l) => [
    l.name,
    `[${l.shape.join(',')}]`,
    withCommas(l.params),
    `${withCommas(l.zerosBefore)} (${percent(l.zerosBefore, l.params)})`,
    `${withCommas(l.zerosAfter)} (${percent(l.zerosAfter, l.params)})`,
    l.threshold === null ? '-' : l.threshold.toPrecision(4),
  ]);
  const params = report.layers.reduce((n, l) => n + l.params, 0);
  const before = report.layers.reduce((n, l) => n + l.zerosBefore, 0);
  const after = report.layers.reduce((n, l) => n + l.zerosAfter, 0);
  rows.push(['total', '', withCommas(params), `${withCommas(before)} (${percent(before, params)})`, `${withCommas(after)} (${percent(after, params)})`, '']);
  return table(['weight', 'shape', 'params', 'zeros before', 'zeros after', 'threshold'], rows, [false, false, true, true, true, true]);
}

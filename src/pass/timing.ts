import type { PassRun } from './manager.js';

interface Row {
  step: string;
  ms: number;
  runs: number;
  changedRuns: number;
  changes: number;
}

/** Per pipeline step (pass with its options), in first-run order: wall time, runs, and changes made. */
export function aggregateRuns(runs: readonly PassRun[]): Row[] {
  const rows = new Map<string, Row>();
  for (const r of runs) {
    const row = rows.get(r.step) ?? { step: r.step, ms: 0, runs: 0, changedRuns: 0, changes: 0 };
    row.ms += r.ms;
    row.runs++;
    if (r.changed) row.changedRuns++;
    row.changes += Object.values(r.stats).reduce((a, b) => a + b, 0);
    rows.set(r.step, row);
  }
  return [...rows.values()];
}

/** The `--time-passes` table. Time outside passes (verifier, IR printing) is the difference to the total. */
export function formatTimings(runs: readonly PassRun[], totalMs: number): string {
  const rows = aggregateRuns(runs);
  const line = (ms: string, pct: string, n: string, changed: string, changes: string, name: string): string =>
    `${ms.padStart(10)}  ${pct.padStart(6)}  ${n.padStart(5)}  ${changed.padStart(7)}  ${changes.padStart(8)}  ${name}\n`;
  const pct = (ms: number): string => (totalMs > 0 ? `${((100 * ms) / totalMs).toFixed(1)}%` : '-');
  let text = '===- pass execution timing -===\n' + line('wall ms', '%', 'runs', 'changed', 'changes', 'pass');
  for (const r of rows) text += line(r.ms.toFixed(2), pct(r.ms), String(r.runs), String(r.changedRuns), String(r.changes), r.step);
  const inPasses = rows.reduce((a, r) => a + r.ms, 0);
  text += line((totalMs - inPasses).toFixed(2), pct(totalMs - inPasses), '', '', '', '(verifier, printing)');
  text += line(totalMs.toFixed(2), pct(totalMs), '', '', '', 'total');
  return text;
}

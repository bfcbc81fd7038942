/** What every benchmark file exports, and the small tools they share. Benchmarks print; they never fail a build. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  /** Lines under the table: targets met or missed, what was measured and how. */
  notes: string[];
}

export interface Bench {
  name: string;
  run(): Promise<Table[]>;
}

/** Wall-clock milliseconds of each of `runs` calls, after one warm-up call. */
export async function timeRuns(runs: number, fn: () => unknown): Promise<number[]> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function ms(x: number): string {
  return `${x.toFixed(1)} ms`;
}

export function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

export function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shears-bench-'));
  return fn(dir).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}

export function formatTable(t: Table): string {
  const widths = t.columns.map((c, i) => Math.max(c.length, ...t.rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    `## ${t.title}`,
    line(t.columns),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...t.rows.map(line),
    ...t.notes.map((n) => `  ${n}`),
  ].join('\n');
}

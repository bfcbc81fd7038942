/** Plain-text tables and human-readable numbers for CLI output. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[], alignRight: readonly boolean[] = []): string {
  const cells = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (alignRight[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function humanCount(n: number): string {
  const units = ['', 'K', 'M', 'G', 'T'];
  let i = 0;
  let x = n;
  while (Math.abs(x) >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return i === 0 ? String(n) : `${x.toFixed(x >= 100 ? 0 : x >= 10 ? 1 : 2)}${units[i]}`;
}

export function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = n;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${x.toFixed(x >= 100 ? 0 : 1)} ${units[i]}`;
}

export function withCommas(n: number): string {
  return n.toLocaleString('en-US');
}

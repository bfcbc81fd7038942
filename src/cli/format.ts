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

/** `digits` fixes the decimals (by default 1 below 100 of a unit, none above). */
export function humanBytes(n: number, digits?: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = n;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${x.toFixed(digits ?? (x >= 100 ? 0 : 1))} ${units[i]}`;
}

/**
 * 1234567 → '1,234,567'. Written out rather than toLocaleString: the first Intl call loads ICU's
 * locale data, 4.4 MB of RSS in the middle of `shears run --stats`' memory figures.
 */
export function withCommas(n: number): string {
  if (!Number.isInteger(n) || Math.abs(n) >= 1e21) return String(n);
  return (n < 0 ? '-' : '') + String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
}

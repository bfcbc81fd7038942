/**
 * Which kernel files of a compiled runtime a static module needs: those registering the kernel that
 * serves each of its nodes. Registration is a side effect of importing a file, so a fresh Node
 * process imports the runtime's kernel files one by one, in kernels/index.js order, and notes which
 * import made `findKernel` answer with a new definition for each node. (In this process the
 * registry is already full, and shared with the runtime when it is this installation.)
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface KernelUse {
  domain: string;
  opType: string;
  opset: number;
}

const PROBE = `
import { readFileSync } from 'node:fs';
const [root, wantedJson] = process.argv.slice(1);
const { findKernel } = await import(root + '/backends/cpu-js/kernel.js');
const index = readFileSync(new URL(root + '/backends/cpu-js/kernels/index.js'), 'utf8');
const wanted = JSON.parse(wantedJson);
const serving = wanted.map(() => null);
const owners = wanted.map(() => null);
for (const [, file] of index.matchAll(/import '\\.\\/([^']+)'/g)) {
  await import(root + '/backends/cpu-js/kernels/' + file);
  wanted.forEach((node, i) => {
    const def = findKernel(node);
    if (typeof def !== 'string' && def !== serving[i]) [serving[i], owners[i]] = [def, file];
  });
}
process.stdout.write(JSON.stringify(owners));
`;

const cache = new Map<string, string | null>();

/**
 * Paths (relative to the runtime folder) of the kernel files serving `uses`, or null when that
 * cannot be told (then every kernel file is needed).
 */
export function kernelFiles(runtimeDir: string, uses: readonly KernelUse[]): string[] | null {
  const files = new Set<string>();
  const unknown = uses.filter((u) => !cache.has(cacheKey(runtimeDir, u)));
  if (unknown.length) {
    const owners = probe(runtimeDir, unknown);
    unknown.forEach((u, i) => cache.set(cacheKey(runtimeDir, u), owners?.[i] ?? null));
  }
  for (const u of uses) {
    const file = cache.get(cacheKey(runtimeDir, u));
    if (!file) return null;
    files.add(`backends/cpu-js/kernels/${file}`);
  }
  return [...files].sort();
}

function probe(runtimeDir: string, uses: readonly KernelUse[]): (string | null)[] | null {
  const root = pathToFileURL(path.resolve(runtimeDir)).href;
  try {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', PROBE, root, JSON.stringify(uses)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 });
    const owners = JSON.parse(out) as unknown;
    return Array.isArray(owners) && owners.length === uses.length ? (owners as (string | null)[]) : null;
  } catch {
    return null;
  }
}

function cacheKey(runtimeDir: string, u: KernelUse): string {
  return `${path.resolve(runtimeDir)}\n${u.domain}\n${u.opType}\n${u.opset}`;
}

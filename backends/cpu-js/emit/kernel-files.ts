/**
 * Which kernel files of a compiled runtime a static module needs: those registering the kernel that
 * serves each of its nodes. Registration is a side effect of importing a file, so a fresh Node
 * process imports the runtime's kernel files one by one, in kernels/index.js order, and notes for
 * every registered op and opset which import made `findKernel` answer with a new definition. (In
 * this process the registry is already full, and shared with the runtime when it is this
 * installation.) One probe per runtime folder and process.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface KernelUse {
  domain: string;
  opType: string;
  opset: number;
}

/** Opsets probed; a node of a later opset is served as at this one (no kernel is defined since a later one). */
const MAX_OPSET = 30;

const PROBE = `
import { readFileSync } from 'node:fs';
const [root, maxOpset] = process.argv.slice(1);
const { findKernel, registeredOps } = await import(root + '/backends/cpu-js/kernel.js');
const index = readFileSync(new URL(root + '/backends/cpu-js/kernels/index.js'), 'utf8');
const serving = new Map();
const owners = {};
for (const [, file] of index.matchAll(/import '\\.\\/([^']+)'/g)) {
  await import(root + '/backends/cpu-js/kernels/' + file);
  for (const name of registeredOps()) {
    const dot = name.lastIndexOf('.');
    const node = { domain: dot < 0 ? '' : name.slice(0, dot), opType: name.slice(dot + 1) };
    for (let opset = 1; opset <= Number(maxOpset); opset++) {
      const key = node.domain + '\\n' + node.opType + '\\n' + opset;
      const def = findKernel({ ...node, opset });
      if (typeof def !== 'string' && def !== serving.get(key)) {
        serving.set(key, def);
        owners[key] = file;
      }
    }
  }
}
process.stdout.write(JSON.stringify(owners));
`;

const tables = new Map<string, Record<string, string> | null>();

/**
 * Paths (relative to the runtime folder) of the kernel files serving `uses`, or null when that
 * cannot be told (then every kernel file is needed).
 */
export function kernelFiles(runtimeDir: string, uses: readonly KernelUse[]): string[] | null {
  const dir = path.resolve(runtimeDir);
  if (!tables.has(dir)) tables.set(dir, probe(dir));
  const owners = tables.get(dir);
  if (!owners) return null;
  const files = new Set<string>();
  for (const u of uses) {
    const file = owners[`${u.domain === 'ai.onnx' ? '' : u.domain}\n${u.opType}\n${Math.min(u.opset, MAX_OPSET)}`];
    if (!file) return null;
    files.add(`backends/cpu-js/kernels/${file}`);
  }
  return [...files].sort();
}

function probe(dir: string): Record<string, string> | null {
  try {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', PROBE, pathToFileURL(dir).href, String(MAX_OPSET)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 60_000,
      maxBuffer: 64 << 20,
    });
    const owners = JSON.parse(out) as unknown;
    return owners && typeof owners === 'object' ? (owners as Record<string, string>) : null;
  } catch {
    return null;
  }
}

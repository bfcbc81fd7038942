/**
 * Running emitted cpu-js modules as their users would: a build of the shears sources to copy the
 * runtime from, the files written to a folder under os.tmpdir() (outside the repository, so no
 * node_modules to lean on), and a separate `node` process without NODE_PATH importing the module.
 * Tensors cross process boundaries as { dtype, dims, base64 } of their raw bytes.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EmittedFile } from '../../../src/backend/backend.js';
import { arrayConstructor, DType, dtypeFromName, dtypeName } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';

export interface WireTensor {
  dtype: string;
  dims: number[];
  /** Raw bytes; string tensors carry `strings` instead. */
  base64?: string;
  strings?: string[];
}

const BUILDS = path.join(os.tmpdir(), 'shears-emit-builds');
const SOURCE_DIRS = ['src', 'passes', 'backends', 'test'];
const NEEDED = ['src/cli/main.js', 'backends/cpu-js/emit/runtime.js', 'backends/cpu-js/kernels/index.js'];

/**
 * shears compiled from the sources under test (JavaScript), with node_modules linked in for its
 * CLI. Shared by the test files of one state of the sources (keyed by their paths, sizes and
 * times); builds of other states older than an hour are removed.
 */
export function buildShears(): string {
  const dir = path.join(BUILDS, sourceKey());
  const built = (): boolean => NEEDED.every((f) => fs.existsSync(path.join(dir, f)));
  fs.mkdirSync(BUILDS, { recursive: true });
  // One builder per state of the sources; the others wait for it (a lock older than 3 minutes is abandoned).
  const lock = `${dir}.lock`;
  for (;;) {
    if (built()) return dir;
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const held = fs.statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 180_000) fs.rmSync(lock, { recursive: true, force: true });
      else if (held) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return buildInto(dir);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function buildInto(dir: string): string {
  pruneOldBuilds(dir);
  const fresh = fs.mkdtempSync(path.join(BUILDS, 'tmp-'));
  // Type errors elsewhere in a shared working tree do not stop tsc from emitting; a missing output does.
  const r = spawnSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', fresh], { encoding: 'utf8' });
  for (const needed of NEEDED) {
    if (!fs.existsSync(path.join(fresh, needed))) throw new Error(`tsc did not build ${needed}: ${r.stdout}${r.stderr}`);
  }
  fs.symlinkSync(path.resolve('node_modules'), path.join(fresh, 'node_modules'));
  fs.writeFileSync(path.join(fresh, 'package.json'), '{ "type": "module" }\n');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(fresh, dir);
  return dir;
}

function sourceKey(): string {
  const hash = createHash('sha1');
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules') walk(p);
      } else if (e.name.endsWith('.ts')) {
        const st = fs.statSync(p);
        hash.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  for (const d of SOURCE_DIRS) walk(d);
  hash.update(fs.readFileSync('tsconfig.json'));
  return hash.digest('hex').slice(0, 16);
}

function pruneOldBuilds(keep: string): void {
  for (const name of fs.readdirSync(BUILDS)) {
    const p = path.join(BUILDS, name);
    if (!p.startsWith(keep) && Date.now() - fs.statSync(p).mtimeMs > 3600_000) fs.rmSync(p, { recursive: true, force: true });
  }
}

export function writeFiles(dir: string, files: readonly EmittedFile[]): void {
  for (const f of files) {
    const file = path.join(dir, f.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.contents);
  }
}

export function toWire(t: Tensor): WireTensor {
  if (t.dtype === DType.STRING) return { dtype: 'string', dims: [...t.dims], strings: [...t.stringData()] };
  const bytes = t.rawBytes();
  return { dtype: dtypeName(t.dtype), dims: [...t.dims], base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
}

export function fromWire(w: WireTensor, name = ''): Tensor {
  const dtype = dtypeFromName(w.dtype) ?? DType.UNDEFINED;
  if (w.strings) return new Tensor(dtype, w.dims, w.strings, name);
  const bytes = Buffer.from(w.base64 ?? '', 'base64');
  const Ctor = arrayConstructor(dtype);
  const data = new Ctor(bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
  new Uint8Array(data.buffer).set(bytes);
  return new Tensor(dtype, w.dims, data, name);
}

/**
 * ES module source (for Node and browsers alike) defining `wireRun(run, feeds)`: decodes wire
 * tensors into typed arrays, runs twice (the second run reuses the arena) and then encodes both results.
 */
export const WIRE_CODEC = `
const ARRAYS = { float32: Float32Array, float64: Float64Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array,
  uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array,
  bool: Uint8Array, float16: Uint16Array, bfloat16: Uint16Array };
function decode(w) {
  if (w.strings) return { dims: w.dims, data: w.strings };
  const bin = atob(w.base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return { dims: w.dims, data: new ARRAYS[w.dtype](bytes.buffer) };
}
function encode(t) {
  if (Array.isArray(t.data)) return { dtype: t.dtype, dims: t.dims, strings: t.data };
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return { dtype: t.dtype, dims: t.dims, base64: btoa(bin) };
}
function encodeAll(results) {
  return Object.fromEntries(Object.entries(results).map(([k, v]) => [k, encode(v)]));
}
export async function wireRun(run, feeds) {
  const inputs = Object.fromEntries(Object.entries(feeds).map(([k, w]) => [k, decode(w)]));
  const first = await run(inputs);
  const second = await run(inputs);
  // Encoded after the second run: what the first returned must not share memory a later run reuses.
  return { first: encodeAll(first), second: encodeAll(second) };
}
`;

export interface WireResults {
  first: Record<string, WireTensor>;
  second: Record<string, WireTensor>;
}

/**
 * Imports `<dir>/<name>.js` in a new Node process whose working directory is `dir`, with NODE_PATH
 * unset, runs it twice on `feeds` and returns both results.
 */
export function runInNode(dir: string, name: string, feeds: Record<string, Tensor>): WireResults {
  fs.writeFileSync(path.join(dir, 'feeds.json'), JSON.stringify(Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, toWire(t)]))));
  fs.writeFileSync(
    path.join(dir, 'main.mjs'),
    `${WIRE_CODEC}
import { readFileSync } from 'node:fs';
const { run } = await import('./${name}.js');
const results = await wireRun(run, JSON.parse(readFileSync('feeds.json', 'utf8')));
process.stdout.write(JSON.stringify(results));
`,
  );
  return JSON.parse(runNode(dir, 'main.mjs')) as WireResults;
}

/** Runs a script with plain Node in `dir`: no NODE_PATH, nothing of the repository reachable. Throws with stderr when it fails. */
export function runNode(dir: string, script: string): string {
  const env = { ...process.env };
  delete env.NODE_PATH;
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, [script], { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`node ${script} in ${dir} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/**
 * Emitted cpu-js modules in headless Chromium: the folder is served on 127.0.0.1 (node:http), one
 * page imports each module with a <script type="module">, runs it twice on the same inputs as
 * onnxruntime-node and posts the results back. Static modules (digits CNN, transformer fixture)
 * and a dynamic one (digits CNN with its symbolic batch). Skipped when /usr/bin/chromium is absent.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitModule } from '../../../backends/cpu-js/emit/emit.js';
import type { Tensor } from '../../../src/ir/tensor.js';
import { randomInputs } from '../../../src/io/input-files.js';
import { loadModel } from '../../../src/onnx/import.js';
import { runOrt } from '../../helpers/ort.js';
import { mismatch } from './compare.js';
import { buildShears, fromWire, toWire, WIRE_CODEC, WireResults, writeFiles } from './emit-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const TOLERANCE = { rtol: 1e-3, atol: 1e-4 };

interface BrowserCase {
  folder: string;
  file: string;
  /** Input shapes fixed before emitting (a static module); none: the model's own (symbolic) shapes. */
  shapes?: Record<string, number[]>;
  batch: number;
}

const CASES: BrowserCase[] = [
  { folder: 'digits-static', file: 'models/digits-cnn.onnx', shapes: { input: [2, 1, 8, 8] }, batch: 2 },
  { folder: 'digits-dynamic', file: 'models/digits-cnn.onnx', batch: 3 },
  { folder: 'transformer', file: 'test/fixtures/.cache/transformer.onnx', shapes: { input: [1, 16, 64] }, batch: 1 },
].filter((c) => fs.existsSync(c.file));

const PAGE = `<!doctype html>
<script type="module">
${WIRE_CODEC}
const report = (body) => fetch('/result', { method: 'POST', body: JSON.stringify(body) });
try {
  const results = {};
  for (const folder of ${JSON.stringify(CASES.map((c) => c.folder))}) {
    const { run } = await import('./' + folder + '/model.js');
    const feeds = await (await fetch('./' + folder + '/feeds.json')).json();
    results[folder] = await wireRun(run, feeds);
  }
  await report({ results });
} catch (e) {
  await report({ error: String(e && e.stack || e) });
}
</script>
`;

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.bin': 'application/octet-stream' };

/** Serves `root` read-only and resolves with the first body POSTed to /result. */
function serve(root: string): { url: Promise<string>; result: Promise<string>; close: () => void } {
  let deliver: (body: string) => void = () => {};
  const result = new Promise<string>((resolve) => (deliver = resolve));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname === '/result') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        res.end('ok');
        deliver(body);
      });
      return;
    }
    const file = path.join(root, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  const url = new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`)));
  return { url, result, close: () => server.close() };
}

/** Opens `url` in headless Chromium until `done` settles or `ms` pass; the browser's process group is ended either way. */
async function withChromium<T>(url: string, profile: string, done: Promise<T>, ms: number): Promise<T> {
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', `--user-data-dir=${profile}`];
  const browser = spawn(CHROMIUM, [...flags, url], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  browser.stderr.on('data', (d) => (stderr += d));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no result from Chromium within ${ms} ms; its stderr:\n${stderr.slice(-4000)}`)), ms)));
  try {
    return await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
    if (browser.pid !== undefined && browser.exitCode === null) process.kill(-browser.pid, 'SIGKILL');
  }
}

describe.skipIf(!fs.existsSync(CHROMIUM))('emitted cpu-js modules in headless Chromium', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shears-emit-browser-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const expected = new Map<string, Record<string, Tensor>>();
  const notes = new Map<string, string>();

  beforeAll(async () => {
    const runtimeDir = buildShears();
    for (const c of CASES) {
      const model = loadModel(c.file);
      for (const v of model.graph.inputs) if (c.shapes?.[v.name] && v.type?.kind === 'tensor') v.type = { ...v.type, shape: c.shapes[v.name] };
      const dir = path.join(root, c.folder);
      writeFiles(dir, emitModule(model, { runtimeDir, note: (m) => notes.set(c.folder, m) }));
      const sized = loadModel(c.file);
      for (const v of sized.graph.inputs) if (v.type?.kind === 'tensor') v.type = { ...v.type, shape: v.type.shape?.map((d) => (typeof d === 'number' ? d : c.batch)) };
      const feeds = randomInputs(sized.graph, 3).feeds as Record<string, Tensor>;
      fs.writeFileSync(path.join(dir, 'feeds.json'), JSON.stringify(Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, toWire(t)]))));
      expected.set(c.folder, await runOrt(c.file, feeds));
    }
    fs.writeFileSync(path.join(root, 'index.html'), PAGE);
  }, 180_000);

  it('runs static and dynamic modules and matches onnxruntime', async () => {
    expect(CASES.length).toBeGreaterThan(0);
    const server = serve(root);
    let body: string;
    try {
      body = await withChromium(await server.url, path.join(root, 'profile'), server.result, 90_000);
    } finally {
      server.close();
    }
    const reply = JSON.parse(body) as { results?: Record<string, WireResults>; error?: string };
    expect(reply.error, 'the page failed').toBeUndefined();
    for (const c of CASES) {
      expect(notes.get(c.folder)).toMatch(c.shapes ? /^static plan: / : /^dynamic module /);
      const got = reply.results![c.folder];
      for (const run of [got.first, got.second]) {
        for (const [name, want] of Object.entries(expected.get(c.folder)!)) {
          expect(mismatch(fromWire(run[name], name), want, TOLERANCE), `${c.folder}: output '${name}'`).toBeNull();
        }
      }
    }
  }, 120_000);
});

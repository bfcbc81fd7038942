/**
 * Reading an emitted module's weights file: with `fs` for file: URLs (Node), with `fetch` otherwise
 * (browsers, http: in Node). The Node import is dynamic, so the module also loads in a browser.
 */
import { ShearsError } from '../../../src/error.js';

export type WeightsSource = URL | string | ArrayBuffer | Uint8Array;

/** The weights as bytes; `expectedBytes` catches a weights file from another emission. */
export async function readWeights(source: WeightsSource, expectedBytes: number): Promise<Uint8Array> {
  const bytes = source instanceof Uint8Array ? source : source instanceof ArrayBuffer ? new Uint8Array(source) : await fetchBytes(new URL(source));
  if (bytes.length !== expectedBytes) {
    throw new ShearsError('E_IO', `the weights are ${bytes.length} bytes, but this module was emitted with ${expectedBytes}: emit the module and its weights file again together`);
  }
  // Typed views on the weights need the bytes aligned as the file is (8): a copy starts at offset 0.
  return bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
}

async function fetchBytes(url: URL): Promise<Uint8Array> {
  if (url.protocol === 'file:') {
    const fs = await import('node:fs/promises');
    try {
      return new Uint8Array(await fs.readFile(url));
    } catch (e) {
      throw new ShearsError('E_IO', `cannot read weights ${url.pathname}: ${(e as { code?: string }).code ?? (e as Error).message}`, { path: url.pathname });
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw new ShearsError('E_IO', `cannot fetch weights ${url}: HTTP ${response.status}`, { path: url.href });
  return new Uint8Array(await response.arrayBuffer());
}

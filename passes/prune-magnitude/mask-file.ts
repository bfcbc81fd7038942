/**
 * Masks as data, so that iterative schedules and weight rewinding can reuse a decision:
 *
 *   { "format": "shears-masks", "version": 1,
 *     "masks": [ { "tensor": "conv1.weight", "shape": [64,3,7,7], "dropped": 8467, "bits": "<base64>" } ] }
 *
 * `bits` holds one bit per element in row-major order, least significant bit first, 1 = keep and
 * 0 = zero; `dropped` is informative (the count of 0 bits).
 */
import * as fs from 'node:fs';
import { quoted, ShearsError } from '../../src/error.js';
import { elementCount } from '../../src/ir/tensor.js';
import { writeFileAtomic } from '../../src/onnx/save.js';
import { droppedCount, keepAll, WeightMask } from './mask.js';

const FORMAT = 'shears-masks';
const VERSION = 1;

export function encodeMasks(masks: readonly WeightMask[]): string {
  const entries = masks.map((m) => ({
    tensor: m.tensor,
    shape: m.dims,
    dropped: droppedCount(m.mask),
    bits: Buffer.from(m.mask.bits.buffer, m.mask.bits.byteOffset, m.mask.bits.byteLength).toString('base64'),
  }));
  return `{"format":"${FORMAT}","version":${VERSION},"masks":[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`;
}

export function decodeMasks(text: string, file: string): WeightMask[] {
  const bad = (why: string): never => {
    throw new ShearsError('E_PARSE', `masks file ${quoted(file, 200)} ${why}`, { path: file });
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return bad(`is not JSON (${(e as Error).message})`);
  }
  const top = doc as { format?: unknown; version?: unknown; masks?: unknown };
  if (typeof doc !== 'object' || doc === null || top.format !== FORMAT) return bad(`is not a shears masks file (no "format": "${FORMAT}")`);
  if (top.version !== VERSION) return bad(`has version ${JSON.stringify(top.version)}; this shears reads version ${VERSION}`);
  if (!Array.isArray(top.masks)) return bad('has no "masks" list');
  return top.masks.map((entry: unknown, i: number) => {
    const e = entry as { tensor?: unknown; shape?: unknown; bits?: unknown };
    if (typeof e !== 'object' || e === null || typeof e.tensor !== 'string') return bad(`mask ${i} has no "tensor" name`);
    const dims = e.shape;
    if (!Array.isArray(dims) || !dims.every((d) => Number.isSafeInteger(d) && d >= 0)) return bad(`mask for ${quoted(e.tensor)} has no valid "shape"`);
    if (typeof e.bits !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(e.bits)) return bad(`mask for ${quoted(e.tensor)} has no base64 "bits"`);
    const size = elementCount(dims);
    const bits = new Uint8Array(Buffer.from(e.bits, 'base64'));
    if (bits.length !== Math.ceil(size / 8)) {
      return bad(`mask for ${quoted(e.tensor)} holds ${bits.length * 8} bits, but its shape [${dims.join(',')}] has ${size} elements`);
    }
    // Bits past the last element carry no meaning; clear them so counts stay exact.
    const tail = keepAll(size).bits;
    if (bits.length) bits[bits.length - 1] &= tail[tail.length - 1];
    return { tensor: e.tensor, dims, mask: { size, bits } };
  });
}

export function readMasksFile(file: string): WeightMask[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ShearsError('E_IO', `cannot read masks file ${quoted(file, 200)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path: file });
  }
  return decodeMasks(text, file);
}

export function writeMasksFile(file: string, masks: readonly WeightMask[]): void {
  writeFileAtomic(file, [new TextEncoder().encode(encodeMasks(masks))]);
}

import { DType } from '../../src/ir/dtype.js';
import { fnv } from '../../src/ir/print.js';
import type { Tensor } from '../../src/ir/tensor.js';

/** Bytes sampled for a fingerprint of a large tensor: enough to tell weights apart, cheap on 100 MB models. */
const SAMPLES = 64;

/**
 * dtype, dims and a hash of the contents: of all of them when `full`, else of a few evenly spaced
 * bytes. Equal tensors have equal keys; equal keys must be confirmed with `sameTensor`.
 */
export function tensorKey(t: Tensor, full: boolean): string {
  const head = `${t.dtype}[${t.dims.join(',')}]${t.source.kind === 'sparse' ? 's' : ''}`;
  if (t.dtype === DType.STRING) return `${head}:${fnv(new TextEncoder().encode(t.stringData().join('\0')))}`;
  const bytes = t.rawBytes();
  if (full || bytes.length <= SAMPLES) return `${head}:${fnv(bytes)}`;
  const sample = new Uint8Array(SAMPLES);
  const step = bytes.length / SAMPLES;
  for (let i = 0; i < SAMPLES; i++) sample[i] = bytes[Math.floor(i * step)];
  return `${head}:${fnv(sample)}`;
}

/** Same dtype, dims, sparsity and bytes. */
export function sameTensor(a: Tensor, b: Tensor): boolean {
  if (a === b) return true;
  if (a.dtype !== b.dtype || a.dims.length !== b.dims.length || a.dims.some((d, i) => d !== b.dims[i])) return false;
  if ((a.source.kind === 'sparse') !== (b.source.kind === 'sparse')) return false;
  if (a.dtype === DType.STRING) {
    const x = a.stringData();
    const y = b.stringData();
    return x.length === y.length && x.every((s, i) => s === y[i]);
  }
  return view(a.rawBytes()).equals(view(b.rawBytes()));
}

function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Collects tensor bytes into one weights buffer: 8-byte aligned, raw little-endian, each tensor once. */
import { DType } from '../../../src/ir/dtype.js';
import type { Tensor } from '../../../src/ir/tensor.js';

export class WeightsWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private readonly offsets = new Map<Tensor, number>();

  /** Byte offset of the tensor's raw data in the weights (string tensors have none: emit their strings instead). */
  add(t: Tensor): number {
    if (t.dtype === DType.STRING) throw new Error(`string tensor '${t.name}' has no raw bytes for the weights file`);
    const had = this.offsets.get(t);
    if (had !== undefined) return had;
    const bytes = t.rawBytes();
    const pad = (8 - (this.size % 8)) % 8;
    if (pad) this.chunks.push(new Uint8Array(pad));
    const offset = this.size + pad;
    this.chunks.push(bytes);
    this.size = offset + bytes.length;
    this.offsets.set(t, offset);
    return offset;
  }

  get byteLength(): number {
    return this.size;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

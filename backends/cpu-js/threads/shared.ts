/**
 * Shared memory for worker threads: typed arrays on SharedArrayBuffers are visible to every thread,
 * anything else must be copied into one first. Staging buffers hold such copies, reused across runs.
 */
import type { NumericView } from './messages.js';

type ViewCtor = { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): NumericView; BYTES_PER_ELEMENT: number };

export function sharedMemoryAvailable(): boolean {
  return typeof SharedArrayBuffer !== 'undefined';
}

export function isShared(a: NumericView): boolean {
  return sharedMemoryAvailable() && a.buffer instanceof SharedArrayBuffer;
}

/** A copy of `a` in a new SharedArrayBuffer. */
export function sharedCopy<T extends NumericView>(a: T): T {
  const ctor = a.constructor as ViewCtor;
  const copy = new ctor(new SharedArrayBuffer(a.byteLength)) as T;
  copy.set(a as ArrayLike<number>);
  return copy;
}

/** Reusable shared buffers, one per purpose, grown as needed. */
export class Staging {
  private readonly buffers = new Map<string, SharedArrayBuffer>();

  /** A shared view of the same type and length as `like`; its contents are stale unless `copy`. */
  view<T extends NumericView>(purpose: string, like: T, copy: boolean): T {
    let buffer = this.buffers.get(purpose);
    if (!buffer || buffer.byteLength < like.byteLength) {
      buffer = new SharedArrayBuffer(Math.max(like.byteLength, 1024));
      this.buffers.set(purpose, buffer);
    }
    const view = new (like.constructor as ViewCtor)(buffer, 0, like.length) as T;
    if (copy) view.set(like as ArrayLike<number>);
    return view;
  }

  /** `a` itself when shared, else a staged copy. */
  input<T extends NumericView>(purpose: string, a: T): T {
    return isShared(a) ? a : this.view(purpose, a, true);
  }
}

/**
 * Scratch buffers for packed panels, shared by every kernel: JS runs one kernel at a time and no
 * kernel calls another while it holds one, so one growing buffer per purpose suffices. Kernels ask
 * for their size at plan time (create), so the hot path never allocates.
 */
import type { PanelArray } from './packing.js';

export type PanelCtor = Float32ArrayConstructor | Float64ArrayConstructor;

/** What a scratch buffer holds; two purposes never share memory. */
export type ScratchPurpose = 'packed-a' | 'packed-b' | 'columns' | 'phases';

const buffers = new Map<string, PanelArray>();

/** A buffer of at least `size` elements for `purpose`, grown (and its contents lost) when too small. */
export function scratch(purpose: ScratchPurpose, ctor: PanelCtor, size: number): PanelArray {
  const key = `${purpose}:${ctor.name}`;
  let b = buffers.get(key);
  if (!b || b.length < size) {
    b = new ctor(Math.max(size, 1024));
    buffers.set(key, b);
  }
  return b;
}

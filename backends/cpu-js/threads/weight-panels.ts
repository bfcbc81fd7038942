/**
 * Storage for weights a kernel packs once: shared memory while the executable compiling or running
 * it has a thread pool, so that workers read the same panels without a copy; ordinary memory otherwise.
 */
import type { PanelArray } from '../gemm/packing.js';
import type { PanelCtor } from '../gemm/scratch.js';
import { activePool } from './active.js';

export function weightPanels(ctor: PanelCtor, length: number): PanelArray {
  if (!activePool()) return new ctor(length);
  const buffer = new SharedArrayBuffer(length * ctor.BYTES_PER_ELEMENT);
  return ctor === Float64Array ? new Float64Array(buffer) : new Float32Array(buffer);
}

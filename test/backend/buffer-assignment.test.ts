import { describe, expect, it } from 'vitest';
import { ARENA_ALIGNMENT, assignBuffers, BufferRequest } from '../../src/backend/buffer-assignment.js';

/** Requests alive at the same step must not share bytes. */
function overlapsInMemory(requests: readonly BufferRequest[], offsets: readonly number[]): [number, number] | null {
  for (let i = 0; i < requests.length; i++) {
    for (let j = i + 1; j < requests.length; j++) {
      const a = requests[i];
      const b = requests[j];
      const live = a.first <= b.last && b.first <= a.last;
      const bytes = offsets[i] < offsets[j] + b.bytes && offsets[j] < offsets[i] + a.bytes;
      if (live && bytes && a.bytes > 0 && b.bytes > 0) return [i, j];
    }
  }
  return null;
}

describe('buffer assignment', () => {
  it('reuses the bytes of a dead buffer and keeps live ones apart', () => {
    const requests = [
      { bytes: 1000, first: 0, last: 1 },
      { bytes: 1000, first: 1, last: 2 },
      { bytes: 1000, first: 2, last: 3 },
    ];
    const a = assignBuffers(requests);
    expect(a.offsets[0]).toBe(a.offsets[2]);
    expect(a.offsets[1]).not.toBe(a.offsets[0]);
    expect(a.arenaBytes).toBe(2 * 1024);
    expect(a.totalBytes).toBe(3000);
  });

  it('aligns every offset', () => {
    const a = assignBuffers([
      { bytes: 3, first: 0, last: 5 },
      { bytes: 5, first: 0, last: 5 },
      { bytes: 7, first: 0, last: 5 },
    ]);
    for (const o of a.offsets) expect(o % ARENA_ALIGNMENT).toBe(0);
  });

  it('never overlaps buffers that are alive together, on random schedules, and needs at most the sum', () => {
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 50; trial++) {
      const requests = Array.from({ length: 40 }, () => {
        const first = Math.floor(random() * 30);
        return { bytes: Math.floor(random() * 5000), first, last: first + Math.floor(random() * 8) };
      });
      const a = assignBuffers(requests);
      expect(overlapsInMemory(requests, a.offsets)).toBeNull();
      const maxLive = Math.max(...Array.from({ length: 40 }, (_, step) => requests.filter((r) => r.first <= step && step <= r.last).reduce((n, r) => n + r.bytes, 0)));
      expect(a.arenaBytes).toBeGreaterThanOrEqual(maxLive);
      expect(a.arenaBytes).toBeLessThanOrEqual(requests.reduce((n, r) => n + Math.ceil(r.bytes / ARENA_ALIGNMENT) * ARENA_ALIGNMENT, 0));
    }
  });
});

/**
 * Buffer assignment by liveness (XLA's buffer assignment, TFLite's greedy-by-size arena planner):
 * every request is a byte size alive over a range of steps; requests whose ranges overlap get
 * disjoint places in one arena, the others may share. Largest first, each into the lowest gap
 * that fits among the already placed requests it overlaps.
 */
export interface BufferRequest {
  bytes: number;
  /** First and last step (inclusive) during which the buffer must hold its value. */
  first: number;
  last: number;
}

export interface BufferAssignment {
  /** Byte offset of each request in the arena, parallel to the requests. */
  offsets: number[];
  arenaBytes: number;
  /** Sum of all request sizes: what separate buffers would take. */
  totalBytes: number;
}

export const ARENA_ALIGNMENT = 64;

export function assignBuffers(requests: readonly BufferRequest[], alignment = ARENA_ALIGNMENT): BufferAssignment {
  const offsets = new Array<number>(requests.length).fill(0);
  const order = requests.map((_, i) => i).sort((a, b) => requests[b].bytes - requests[a].bytes || requests[a].first - requests[b].first);
  const placed: number[] = [];
  let arenaBytes = 0;
  let totalBytes = 0;
  for (const i of order) {
    const r = requests[i];
    totalBytes += r.bytes;
    const size = roundUp(r.bytes, alignment);
    const live = placed.filter((j) => requests[j].first <= r.last && r.first <= requests[j].last).sort((a, b) => offsets[a] - offsets[b]);
    let offset = 0;
    let best = -1;
    let bestGap = Infinity;
    for (const j of live) {
      const gap = offsets[j] - offset;
      if (gap >= size && gap < bestGap) {
        best = offset;
        bestGap = gap;
      }
      offset = Math.max(offset, offsets[j] + roundUp(requests[j].bytes, alignment));
    }
    offsets[i] = best >= 0 ? best : offset;
    arenaBytes = Math.max(arenaBytes, offsets[i] + size);
    placed.push(i);
  }
  return { offsets, arenaBytes, totalBytes };
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

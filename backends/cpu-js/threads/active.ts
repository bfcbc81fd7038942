/**
 * The thread pool of the executable that is running, if it has one. Kernels run synchronously
 * inside one executable's run, so a single slot set around that run is all the wiring they need.
 */
import type { ThreadPool } from './pool.js';

let active: ThreadPool | null = null;

/** The pool kernels may split work across now: null when running single-threaded. */
export function activePool(): ThreadPool | null {
  return active;
}

export function withPool<T>(pool: ThreadPool | null, fn: () => T): T {
  const previous = active;
  active = pool;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

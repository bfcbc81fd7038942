/**
 * Starting worker threads where the code runs: `worker_threads` in Node, module Web Workers in
 * browsers (which need a cross-origin isolated page for SharedArrayBuffer). Node built-ins are
 * imported dynamically so that the cpu-js runtime still loads in a browser.
 */
import type { FromWorker, ToWorker } from './messages.js';

export interface WorkerHandle {
  post(message: ToWorker): void;
  /** Lets the process exit while the worker idles (Node); a no-op in browsers. */
  unref(): void;
  terminate(): void;
}

const inNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** The worker entry beside this module; from the TypeScript sources (tests), the build output in dist/. */
function entryUrl(name: string): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL(`../../../dist/backends/cpu-js/threads/${name}.js`, here) : new URL(`./${name}.js`, here);
}

export async function spawnWorker(onMessage: (m: FromWorker) => void, onError: (e: Error) => void): Promise<WorkerHandle> {
  if (inNode) {
    const { Worker } = await import('node:worker_threads');
    // No inherited node flags: some refuse a file entry (--input-type) or a worker (--expose-gc).
    const w = new Worker(entryUrl('worker-node'), { execArgv: [] });
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', (code) => onError(new Error(`worker thread exited with code ${code}`)));
    return { post: (m) => w.postMessage(m), unref: () => w.unref(), terminate: () => void w.terminate() };
  }
  const w = new Worker(entryUrl('worker-web'), { type: 'module' });
  w.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
  w.onerror = (e: ErrorEvent) => onError(new Error(e.message));
  return { post: (m) => w.postMessage(m), unref: () => {}, terminate: () => w.terminate() };
}

/** Logical cores available to this process (or page). */
export async function availableThreads(): Promise<number> {
  if (inNode) return (await import('node:os')).availableParallelism();
  return typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
}

/**
 * A pool of worker threads that split large kernels with the calling thread. Workers start on the
 * first run (asynchronously), learn each kernel once (its packed weights shared, never copied), and
 * then take parts of it per call: the calling thread posts the parts, computes its own, and waits on
 * a shared counter, so kernels stay synchronous functions.
 */
import { ShearsError } from '../../../src/error.js';
import { CONTROL_SLOTS, FAILED, MESSAGE_LENGTH, MESSAGE_START, PENDING, ToWorker } from './messages.js';
import { availableThreads, spawnWorker, WorkerHandle } from './platform.js';
import { Staging, sharedMemoryAvailable } from './shared.js';

export class ThreadPool {
  readonly staging = new Staging();
  private workers: WorkerHandle[] = [];
  private starting: Promise<void> | null = null;
  private readonly control: Int32Array;
  private readonly tasks = new WeakMap<object, number>();
  private readonly forget = new FinalizationRegistry<number>((id) => this.broadcast({ type: 'drop', id }));
  private nextTask = 1;
  private terminated = false;
  /** Atomics.wait is refused on a browser's main thread; waiting then spins. */
  private canBlock = true;

  /** `threads`: threads sharing a kernel, the calling one included; 0 for one per core. */
  constructor(readonly threads: number) {
    if (!Number.isInteger(threads) || threads < 0) throw new ShearsError('E_USAGE', `threads must be a whole number, 0 (one per core) or more, not ${threads}`);
    if (!sharedMemoryAvailable()) throw new ShearsError('E_USAGE', 'threads need SharedArrayBuffer, which this environment lacks (in a browser: serve the page cross-origin isolated)');
    this.control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  }

  /** Threads that share a split kernel now, the calling one included (1 until started). */
  get size(): number {
    return this.workers.length + 1;
  }

  /** Starts the workers once; later calls wait for the same start. */
  start(): Promise<void> {
    this.starting ??= this.spawn();
    return this.starting;
  }

  private async spawn(): Promise<void> {
    const count = (this.threads > 0 ? this.threads : await availableThreads()) - 1;
    const handles: WorkerHandle[] = [];
    const ready: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      let started!: () => void;
      let failed!: (e: Error) => void;
      ready.push(new Promise<void>((resolve, reject) => ((started = resolve), (failed = reject))));
      const w = await spawnWorker(() => started(), (e) => failed(e));
      w.post({ type: 'init', control: this.control });
      handles.push(w);
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      for (const w of handles) w.terminate();
      throw new ShearsError('E_IO', `cannot start cpu-js worker threads: ${(e as Error).message}`, {}, { cause: e });
    }
    // Idle workers must not keep the process alive when an executable is never disposed.
    for (const w of handles) w.unref();
    if (this.terminated) for (const w of handles) w.terminate();
    else this.workers = handles;
  }

  /** The id under which workers know `owner` (a kernel object), telling them about it the first time. */
  taskId(owner: object, describe: (id: number) => ToWorker): number {
    let id = this.tasks.get(owner);
    if (id === undefined) {
      id = this.nextTask++;
      this.broadcast(describe(id));
      this.tasks.set(owner, id);
      this.forget.register(owner, id);
    }
    return id;
  }

  /** Runs jobs[i] on worker i and `own` on this thread; returns when all are done, throwing the first failure. */
  dispatch(jobs: readonly ToWorker[], own: () => void): void {
    const c = this.control;
    Atomics.store(c, FAILED, 0);
    Atomics.store(c, PENDING, jobs.length);
    jobs.forEach((job, i) => this.workers[i].post(job));
    let ownError: unknown = null;
    try {
      own();
    } catch (e) {
      ownError = e;
    }
    for (let left = Atomics.load(c, PENDING); left !== 0; left = Atomics.load(c, PENDING)) this.wait(left);
    if (ownError) throw ownError;
    if (Atomics.load(c, FAILED)) throw new Error(`in a worker thread: ${String.fromCharCode(...c.subarray(MESSAGE_START, MESSAGE_START + Atomics.load(c, MESSAGE_LENGTH)))}`);
  }

  private wait(left: number): void {
    if (!this.canBlock) return;
    try {
      Atomics.wait(this.control, PENDING, left);
    } catch {
      this.canBlock = false;
    }
  }

  private broadcast(message: ToWorker): void {
    for (const w of this.workers) w.post(message);
  }

  /** Stops the workers; the pool runs everything on the calling thread afterwards. */
  terminate(): void {
    this.terminated = true;
    for (const w of this.workers) w.terminate();
    this.workers = [];
  }
}

/**
 * A pool of worker threads that split large kernels with the calling thread. Workers start on the
 * first run (asynchronously), learn each kernel once (its packed weights shared, never copied), and
 * then share its parts per call: the calling thread posts the job, claims parts like every worker
 * (claim.ts), and waits on a shared counter for the last one, so kernels stay synchronous functions.
 */
import { ShearsError } from '../../../src/error.js';
import { failure, MAX_PARTS, nextJobId, openJob, runClaimed } from './claim.js';
import { CONTROL_SLOTS, JobHeader, JobMessage, PENDING, ToWorker } from './messages.js';
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
  private job = 0;
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

  /**
   * Runs `count` parts on this thread and the workers (the workers by `job`, this thread by `run`),
   * and returns when all are done, throwing the first part's failure.
   */
  dispatch(job: (header: JobHeader) => JobMessage, count: number, run: (part: number) => void): void {
    if (count > MAX_PARTS) throw new Error(`a job of ${count} parts is more than ${MAX_PARTS}`);
    const c = this.control;
    const id = (this.job = nextJobId(this.job));
    openJob(c, id, count);
    this.broadcast(job({ job: id, count }));
    runClaimed(c, id, count, run);
    for (let left = Atomics.load(c, PENDING); left !== 0; left = Atomics.load(c, PENDING)) this.wait(left);
    const failed = failure(c);
    if (failed !== null) throw new Error(failed);
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

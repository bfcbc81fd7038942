/**
 * Parts of a job are claimed, not assigned: every thread takes the next unclaimed part until none
 * is left, so a thread the OS leaves waiting (a busy machine) simply does fewer parts. A worker
 * that reads a job's message late, after the job is over, claims nothing from a later job: the
 * control block holds the running job's id, and the claim counter carries its low bits too.
 */
import { FAILED, JOB, MESSAGE_LENGTH, MESSAGE_START, NEXT, PENDING } from './messages.js';

const TAG_SHIFT = 16;
export const MAX_PARTS = (1 << TAG_SHIFT) - 1;

/** The id after `job`: positive 31-bit, so that it fits the control block. */
export function nextJobId(job: number): number {
  return (job + 1) & 0x7fffffff;
}

/** Opens job `job` of `count` parts (at most MAX_PARTS). */
export function openJob(control: Int32Array, job: number, count: number): void {
  Atomics.store(control, FAILED, 0);
  Atomics.store(control, PENDING, count);
  Atomics.store(control, JOB, job);
  Atomics.store(control, NEXT, (job & 0x7fff) << TAG_SHIFT);
}

/** The index of the next unclaimed part of job `job`, or -1 when none is left or another job runs. */
function claim(control: Int32Array, job: number, count: number): number {
  if (Atomics.load(control, JOB) !== job) return -1;
  for (;;) {
    const v = Atomics.load(control, NEXT);
    const index = v & MAX_PARTS;
    if (v >>> TAG_SHIFT !== (job & 0x7fff) || index >= count) return -1;
    if (Atomics.compareExchange(control, NEXT, v, v + 1) === v) return index;
  }
}

/** Runs parts of the job until none is left; a part's failure is recorded (the first one's message kept). */
export function runClaimed(control: Int32Array, job: number, count: number, run: (part: number) => void): void {
  for (let part = claim(control, job, count); part >= 0; part = claim(control, job, count)) {
    try {
      run(part);
    } catch (e) {
      recordFailure(control, e);
    } finally {
      if (Atomics.sub(control, PENDING, 1) === 1) Atomics.notify(control, PENDING);
    }
  }
}

function recordFailure(control: Int32Array, e: unknown): void {
  if (Atomics.compareExchange(control, FAILED, 0, 1) !== 0) return;
  const text = String((e as Error)?.message ?? e).slice(0, control.length - MESSAGE_START);
  for (let i = 0; i < text.length; i++) control[MESSAGE_START + i] = text.charCodeAt(i);
  Atomics.store(control, MESSAGE_LENGTH, text.length);
}

/** The first failure of the job, or null. */
export function failure(control: Int32Array): string | null {
  if (!Atomics.load(control, FAILED)) return null;
  return String.fromCharCode(...control.subarray(MESSAGE_START, MESSAGE_START + Atomics.load(control, MESSAGE_LENGTH)));
}

/**
 * Parts of a job are claimed, not assigned: every thread takes the next unclaimed part until none
 * is left, so a thread the OS leaves waiting (a busy machine) simply does fewer parts. The claim
 * counter carries the job's epoch, so a worker that reads a job's message late, after the job is
 * over, claims nothing from the next one.
 */
import { FAILED, MESSAGE_LENGTH, MESSAGE_START, NEXT, PENDING } from './messages.js';

const EPOCH_SHIFT = 16;
export const MAX_PARTS = (1 << EPOCH_SHIFT) - 1;
export const EPOCHS = 1 << 15;

/** Opens job `epoch` (below EPOCHS) of `count` parts (at most MAX_PARTS). */
export function openJob(control: Int32Array, epoch: number, count: number): void {
  Atomics.store(control, FAILED, 0);
  Atomics.store(control, PENDING, count);
  Atomics.store(control, NEXT, epoch << EPOCH_SHIFT);
}

/** The index of the next unclaimed part of job `epoch`, or -1 when none is left or another job runs. */
function claim(control: Int32Array, epoch: number, count: number): number {
  for (;;) {
    const v = Atomics.load(control, NEXT);
    const index = v & MAX_PARTS;
    if (v >>> EPOCH_SHIFT !== epoch || index >= count) return -1;
    if (Atomics.compareExchange(control, NEXT, v, v + 1) === v) return index;
  }
}

/** Runs parts of the job until none is left; a part's failure is recorded (the first one's message kept). */
export function runClaimed(control: Int32Array, epoch: number, count: number, run: (part: number) => void): void {
  for (let part = claim(control, epoch, count); part >= 0; part = claim(control, epoch, count)) {
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

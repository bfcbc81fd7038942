/**
 * Activations that are a clamp — Relu, and Clip with constant bounds — as bounds [lo, hi] that a
 * kernel applies while storing its outputs, so the plan can fuse them into the node before them
 * (Conv → Relu). Clamps compose into one clamp: clamping to [a, b] after [lo, hi] is clamping to
 * [g(lo), g(hi)] with g the clamp to [a, b], since both are monotone and agree outside [lo, hi].
 */
import { DType } from '../../src/ir/dtype.js';
import type { Node } from '../../src/ir/node.js';
import type { Value } from '../../src/ir/value.js';

export interface Clamp {
  lo: number;
  hi: number;
}

export const NO_CLAMP: Clamp = { lo: -Infinity, hi: Infinity };

/** A constant float scalar bound (Clip's optional min/max input), NaN when it is not one; missing means none. */
function constantBound(v: Value | null, none: number): number {
  if (!v) return none;
  const t = v.constant;
  if (!t || t.dtype !== DType.FLOAT || t.size !== 1) return NaN;
  return (t.data as Float32Array)[0];
}

/** The clamp that `node` computes, or null when it is not a clamp with bounds known before running. */
export function activationClamp(node: Node): Clamp | null {
  if (node.domain !== '') return null;
  if (node.opType === 'Relu') return { lo: 0, hi: Infinity };
  if (node.opType !== 'Clip') return null;
  const lo = node.opset < 11 ? node.getFloat('min', -Infinity)! : constantBound(node.inputs[1] ?? null, -Infinity);
  const hi = node.opset < 11 ? node.getFloat('max', Infinity)! : constantBound(node.inputs[2] ?? null, Infinity);
  return Number.isNaN(lo) || Number.isNaN(hi) || lo > hi ? null : { lo, hi };
}

/** `then` applied after `first`, as one clamp. */
export function composeClamps(first: Clamp, then: Clamp): Clamp {
  const g = (x: number): number => Math.min(Math.max(x, then.lo), then.hi);
  return { lo: g(first.lo), hi: g(first.hi) };
}

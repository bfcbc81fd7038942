/** Comparing a back end's outputs with expected ones: close for floats, exact for integers, bools and strings. */
import type { RuntimeValue } from '../../../src/backend/value.js';
import { dtypeName, isFloat } from '../../../src/ir/dtype.js';
import type { Tensor } from '../../../src/ir/tensor.js';
import { formatShape } from '../../../src/ir/types.js';

export interface Tolerance {
  rtol: number;
  atol: number;
}

/** Why `actual` differs from `expected`, or null when it matches. */
export function mismatch(actual: RuntimeValue | undefined, expected: RuntimeValue, tol: Tolerance): string | null {
  if (expected === null) return actual === null || actual === undefined ? null : 'expected an empty optional';
  if (actual === null || actual === undefined) return 'got nothing';
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return 'expected a sequence, got a tensor';
    if (actual.length !== expected.length) return `sequence has ${actual.length} tensors, expected ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const m = mismatch(actual[i], expected[i], tol);
      if (m) return `sequence element ${i}: ${m}`;
    }
    return null;
  }
  if (Array.isArray(actual)) return 'expected a tensor, got a sequence';
  return tensorMismatch(actual, expected, tol);
}

function tensorMismatch(actual: Tensor, expected: Tensor, tol: Tolerance): string | null {
  if (actual.dtype !== expected.dtype) return `dtype ${dtypeName(actual.dtype)}, expected ${dtypeName(expected.dtype)}`;
  if (actual.dims.length !== expected.dims.length || actual.dims.some((d, i) => d !== expected.dims[i])) {
    return `shape ${formatShape([...actual.dims])}, expected ${formatShape([...expected.dims])}`;
  }
  if (isFloat(expected.dtype)) {
    const a = actual.toNumbers();
    const e = expected.toNumbers();
    for (let i = 0; i < e.length; i++) {
      if (Number.isNaN(e[i]) ? Number.isNaN(a[i]) : a[i] === e[i] || Math.abs(a[i] - e[i]) <= tol.atol + tol.rtol * Math.abs(e[i])) continue;
      return `element ${i} is ${a[i]}, expected ${e[i]}`;
    }
    return null;
  }
  const a = actual.data;
  const e = expected.data;
  for (let i = 0; i < e.length; i++) if (a[i] !== e[i]) return `element ${i} is ${String(a[i])}, expected ${String(e[i])}`;
  return null;
}

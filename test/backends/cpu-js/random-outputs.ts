/**
 * Node-suite tests whose expected outputs are one draw of a random generator that no seed can
 * reproduce (the suite's own generator says so: "may not produce the same values in different
 * implementations even if a seed is specified"). Their outputs are checked for what can be checked —
 * dtype, shape, and that every value is 0 or 1 — and the test is then reported as skipped, not passed.
 */
import type { RuntimeValue } from '../../../src/backend/value.js';
import { dtypeName } from '../../../src/ir/dtype.js';
import { formatShape } from '../../../src/ir/types.js';

const bernoulli = 'Bernoulli draws are random: dtype, shape and 0/1 values checked';

export const RANDOM_OUTPUTS: Record<string, string> = {
  test_bernoulli: bernoulli,
  test_bernoulli_double: bernoulli,
  test_bernoulli_double_expanded: bernoulli,
  test_bernoulli_expanded: bernoulli,
  test_bernoulli_seed: bernoulli,
  test_bernoulli_seed_expanded: bernoulli,
};

/** Why a random output cannot be right (wrong dtype, shape, or a value other than 0 or 1), or null. */
export function randomOutputMismatch(actual: RuntimeValue | undefined, expected: RuntimeValue): string | null {
  if (!actual || Array.isArray(actual) || !expected || Array.isArray(expected)) return 'expected a tensor';
  if (actual.dtype !== expected.dtype) return `dtype ${dtypeName(actual.dtype)}, expected ${dtypeName(expected.dtype)}`;
  if (formatShape([...actual.dims]) !== formatShape([...expected.dims])) return `shape ${formatShape([...actual.dims])}, expected ${formatShape([...expected.dims])}`;
  const bad = actual.toNumbers().findIndex((v) => v !== 0 && v !== 1);
  return bad < 0 ? null : `element ${bad} is neither 0 nor 1`;
}

/**
 * Importance of each unit of a group, aggregated over every coupled tensor: the mean |w| (l1) or
 * root mean w² (l2) of all weight elements the unit would take away, producer filters and consumer
 * columns alike (Torch-Pruning's group norm); the mean |γ| of its BatchNorm scales (bn-gamma,
 * Network Slimming); or seeded random numbers (a baseline). Means, not sums, so that scores of groups
 * with different numbers and sizes of tensors can be ranked together (global-ratio).
 */
import { DType } from '../../src/ir/dtype.js';
import type { Tensor } from '../../src/ir/tensor.js';
import type { ChannelGroup } from '../channel-groups.js';
import type { Role } from '../channel-groups/types.js';
import { seededRandom } from '../../src/util/random.js';

export const CRITERIA = ['l1', 'l2', 'bn-gamma', 'random'] as const;
export type Criterion = (typeof CRITERIA)[number];

const WEIGHT_ROLES: ReadonlySet<Role> = new Set<Role>(['weight-out', 'weight-in']);
const GAMMA_ROLES: ReadonlySet<Role> = new Set<Role>(['bn-scale']);

/** One score per unit of the group, in the order of `group.units`; higher is more important. */
export function unitScores(group: ChannelGroup, criterion: Criterion, random: () => number): Float64Array {
  const n = group.units.length;
  if (criterion === 'random') return Float64Array.from({ length: n }, () => random());
  const roles = criterion === 'bn-gamma' && hasGamma(group) ? GAMMA_ROLES : WEIGHT_ROLES;
  const square = criterion === 'l2';
  const index = new Map(group.units.map((u, i) => [u, i]));
  const sums = new Float64Array(n);
  const counts = new Float64Array(n);
  for (const m of group.members) {
    const t = m.value.constant;
    if (!t || !roles.has(m.role)) continue;
    const data = floats(t);
    const dims = t.dims;
    const size = dims[m.axis];
    const inner = dims.slice(m.axis + 1).reduce((a, b) => a * b, 1);
    const outer = dims.slice(0, m.axis).reduce((a, b) => a * b, 1);
    const slot = m.units.map((u) => index.get(u) ?? -1);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < size; i++) {
        const k = slot[i];
        if (k < 0) continue;
        const base = (o * size + i) * inner;
        sums[k] += square ? sumOfSquares(data, base, inner) : sumOfAbs(data, base, inner);
        counts[k] += inner;
      }
    }
  }
  return sums.map((s, k) => {
    const mean = counts[k] ? s / counts[k] : 0;
    return square ? Math.sqrt(mean) : mean;
  });
}

/** Whether bn-gamma has BatchNorm scales to read in this group (else it falls back to l1). */
export function hasGamma(group: ChannelGroup): boolean {
  return group.members.some((m) => m.role === 'bn-scale' && m.value.constant);
}

function sumOfAbs(data: Float32Array | Float64Array, from: number, n: number): number {
  let s = 0;
  for (let j = from; j < from + n; j++) s += Math.abs(data[j]);
  return s;
}

function sumOfSquares(data: Float32Array | Float64Array, from: number, n: number): number {
  let s = 0;
  for (let j = from; j < from + n; j++) s += data[j] * data[j];
  return s;
}

function floats(t: Tensor): Float32Array | Float64Array {
  if (t.dtype === DType.FLOAT || t.dtype === DType.DOUBLE) return t.data as Float32Array | Float64Array;
  return Float64Array.from(t.toNumbers());
}

/**
 * Unique: the distinct elements (or, with `axis`, distinct slices along it), sorted or in order of
 * first occurrence, with each one's first index, every element's position among them, and counts.
 */
import { DType } from '../../../src/ir/dtype.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis } from '../axes.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf } from '../tensors.js';

type Element = number | bigint | string;

registerKernel({
  op: 'Unique',
  since: 11,
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const given = node.getInt('axis');
    const dims = given === undefined ? [elementCount(x.dims)] : x.dims;
    const axis = given === undefined ? 0 : normalizeAxis(node, given, x.dims.length);
    const sorted = node.getInt('sorted', 1) !== 0;
    const n = dims[axis];
    const outer = elementCount(dims.slice(0, axis));
    const inner = elementCount(dims.slice(axis + 1));
    const order = new Int32Array(n);
    const groupOf = new Int32Array(n);
    let src: ArrayLike<Element> = [];
    // Slices compare element by element over every outer block, in row-major order (numpy's lexicographic order).
    const compareSlices = (a: number, b: number): number => {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const u = src[(o * n + a) * inner + i];
          const v = src[(o * n + b) * inner + i];
          if (u !== v) return u < v ? -1 : 1;
        }
      }
      return 0;
    };
    return (inputs, rc) => {
      src = tensorInput(node, inputs, 0).data as ArrayLike<Element>;
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => compareSlices(a, b) || a - b);
      // Groups of equal slices, in sorted order; each group's first member is its first occurrence.
      const firsts: number[] = [];
      const counts: number[] = [];
      for (let i = 0; i < n; i++) {
        if (i === 0 || compareSlices(order[i - 1], order[i]) !== 0) {
          firsts.push(order[i]);
          counts.push(0);
        }
        groupOf[order[i]] = firsts.length - 1;
        counts[counts.length - 1]++;
      }
      const u = firsts.length;
      const rankOf = Int32Array.from({ length: u }, (_, g) => g);
      const groups = Int32Array.from({ length: u }, (_, g) => g);
      if (!sorted) {
        groups.sort((a, b) => firsts[a] - firsts[b]);
        groups.forEach((g, r) => (rankOf[g] = r));
      }
      const yDims = [...dims];
      yDims[axis] = u;
      const y = rc.output(0, x.dtype, yDims);
      const yd = y.data as Element[];
      for (let o = 0; o < outer; o++) {
        for (let r = 0; r < u; r++) {
          const from = (o * n + firsts[groups[r]]) * inner;
          const to = (o * u + r) * inner;
          for (let i = 0; i < inner; i++) yd[to + i] = src[from + i];
        }
      }
      const indices = rc.output(1, DType.INT64, [u]);
      const inverse = rc.output(2, DType.INT64, [n]);
      const count = rc.output(3, DType.INT64, [u]);
      const id = indices.data as BigInt64Array;
      const inv = inverse.data as BigInt64Array;
      const cd = count.data as BigInt64Array;
      for (let r = 0; r < u; r++) {
        id[r] = BigInt(firsts[groups[r]]);
        cd[r] = BigInt(counts[groups[r]]);
      }
      for (let i = 0; i < n; i++) inv[i] = BigInt(rankOf[groupOf[i]]);
      return [y, indices, inverse, count];
    };
  },
});

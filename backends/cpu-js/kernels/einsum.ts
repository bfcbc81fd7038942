/**
 * Einsum by direct summation: every label gets a size; the output labels are iterated as outer
 * loops and the summed labels as inner ones, each operand read through per-label strides (a label
 * repeated within an operand adds its strides: a diagonal). An ellipsis stands for the same
 * broadcast leading dims in every operand. Implicit mode (no "->") outputs the labels that appear
 * once, sorted, after the ellipsis dims.
 */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { stridesOf } from '../axes.js';
import { broadcastDims } from '../broadcast.js';
import { registerKernel } from '../kernel.js';
import { elementClass, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

const ELLIPSIS_LABELS = '0123456789';

function bad(node: Node, message: string): ShearsError {
  return new ShearsError('E_MODEL_INVALID', `${describe(node)}: equation '${node.getString('equation', '')}': ${message}`, { node: node.name });
}

/** Operand and output label strings with every ellipsis replaced by digit labels (one per broadcast dim). */
function expandEquation(node: Node, shapes: readonly (readonly number[])[]): { terms: string[]; output: string; ellipsisDims: number[] } {
  const equation = node.getString('equation', '').replace(/\s+/g, '');
  const [lhs, rhs] = equation.split('->');
  const terms = lhs.split(',');
  if (terms.length !== shapes.length) throw bad(node, `${terms.length} operands for ${shapes.length} inputs`);
  const ellipsisShapes: number[][] = [];
  const expanded = terms.map((term, i) => {
    const named = term.replace('...', '');
    if (!/^[a-zA-Z]*$/.test(named)) throw bad(node, `operand '${term}' has characters other than letters and one '...'`);
    const rank = shapes[i].length;
    if (!term.includes('...')) {
      if (named.length !== rank) throw bad(node, `operand '${term}' names ${named.length} axes of a rank-${rank} input`);
      return term;
    }
    const count = rank - named.length;
    if (count < 0) throw bad(node, `operand '${term}' names more axes than its rank ${rank}`);
    const at = term.indexOf('...');
    ellipsisShapes.push(shapes[i].slice(at, at + count));
    return term.slice(0, at) + ELLIPSIS_LABELS.slice(10 - count) + term.slice(at + 3);
  });
  const ellipsisDims = broadcastDims(node, ellipsisShapes);
  const ellipsis = ELLIPSIS_LABELS.slice(10 - ellipsisDims.length);
  let output: string;
  if (rhs !== undefined) {
    if (!/^[a-zA-Z]*(\.\.\.)?[a-zA-Z]*$/.test(rhs)) throw bad(node, `output '${rhs}' is not letters around at most one '...'`);
    output = rhs.replace('...', ellipsis);
  } else {
    const letters = expanded.join('').replace(/[0-9]/g, '');
    output = ellipsis + [...new Set(letters)].filter((c) => letters.indexOf(c) === letters.lastIndexOf(c)).sort().join('');
  }
  return { terms: expanded, output, ellipsisDims };
}

registerKernel({
  op: 'Einsum',
  create(ctx) {
    const { node } = ctx;
    const types = ctx.inputTypes.map((t, i) => tensorTypeOf(node, t, i));
    const dtype = types[0].dtype;
    const cls = elementClass(dtype);
    if (cls !== 'float' && cls !== 'int') throw unsupportedType(node, dtype);
    const { terms, output } = expandEquation(node, types.map((t) => t.dims));
    const size = new Map<string, number>();
    terms.forEach((term, i) => {
      [...term].forEach((label, d) => {
        const dim = types[i].dims[d];
        const known = size.get(label);
        if (known === undefined || known === 1) size.set(label, dim);
        else if (dim !== known && dim !== 1) throw bad(node, `label '${label}' has sizes ${known} and ${dim}`);
      });
    });
    for (const label of output) if (!size.has(label)) throw bad(node, `output label '${label}' appears in no operand`);
    const summed = [...size.keys()].filter((l) => !output.includes(l));
    const loops = [...output, ...summed];
    const loopDims = loops.map((l) => size.get(l)!);
    /** strides[i][d]: how far operand i moves when loop label d steps (0 where it lacks the label or broadcasts it). */
    const strides = terms.map((term, i) => {
      const own = stridesOf(types[i].dims);
      return loops.map((label) => [...term].reduce((s, l, d) => (l === label && types[i].dims[d] !== 1 ? s + own[d] : s), 0));
    });
    const outDims = [...output].map((l) => size.get(l)!);
    const outCount = elementCount(outDims);
    const sumCount = elementCount(summed.map((l) => size.get(l)!));
    const rank = loops.length;
    const operands = terms.length;
    const idx = new Int32Array(rank);
    const offsets = new Float64Array(operands);
    return (inputs, rc) => {
      const data = inputs.map((_, i) => tensorInput(node, inputs, i).data as Float32Array);
      const out = rc.output(0, dtype, outDims);
      const Y = out.data as Float32Array;
      idx.fill(0);
      offsets.fill(0);
      const advance = (from: number): void => {
        for (let d = from; d >= 0; d--) {
          for (let i = 0; i < operands; i++) offsets[i] += strides[i][d];
          if (++idx[d] < loopDims[d]) return;
          for (let i = 0; i < operands; i++) offsets[i] -= strides[i][d] * loopDims[d];
          idx[d] = 0;
        }
      };
      for (let o = 0; o < outCount; o++) {
        let acc = 0;
        for (let s = 0; s < sumCount; s++) {
          let p = 1;
          for (let i = 0; i < operands; i++) p *= data[i][offsets[i]];
          acc += p;
          advance(rank - 1);
        }
        Y[o] = acc;
        if (sumCount === 0) advance(output.length - 1);
      }
      return [out];
    };
  },
});

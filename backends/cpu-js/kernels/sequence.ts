/** Sequence ops: a sequence is a JS array of tensors, never modified in place (ops return new arrays). */
import type { RuntimeValue } from '../../../src/backend/value.js';
import { ShearsError } from '../../../src/error.js';
import { DType } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { normalizeAxis } from '../axes.js';
import { registerKernel } from '../kernel.js';
import { concatenate, split, stack } from '../stack.js';
import { intValues, optionalTensor, tensorInput } from '../tensors.js';

function sequenceInput(node: Node, inputs: readonly RuntimeValue[], i: number): Tensor[] {
  const v = inputs[i];
  if (Array.isArray(v)) return v;
  throw new ShearsError('E_MODEL_INVALID', `${describe(node)}: input ${i} must be a sequence`, { node: node.name });
}

/** A position argument; negative counts from the end; `end` allows one past the last (insertion). */
function position(node: Node, t: Tensor | null, length: number, fallback: number, end = false): number {
  if (!t) return fallback;
  const p = Number(t.data[0]);
  const at = p < 0 ? p + length : p;
  if (!(at >= 0 && (end ? at <= length : at < length))) {
    throw new ShearsError('E_SHAPE', `${describe(node)}: position ${p} is outside a sequence of ${length}`, { node: node.name });
  }
  return at;
}

const int64 = (n: number): Tensor => new Tensor(DType.INT64, [], BigInt64Array.of(BigInt(n)));

registerKernel(
  { op: 'SequenceEmpty', since: 11, widenHalf: false, create: () => () => [[]] },
  { op: 'SequenceConstruct', since: 11, widenHalf: false, create: (ctx) => (inputs) => [inputs.map((_, i) => tensorInput(ctx.node, inputs, i))] },
  { op: 'SequenceLength', since: 11, widenHalf: false, create: (ctx) => (inputs) => [int64(sequenceInput(ctx.node, inputs, 0).length)] },
  {
    op: 'SequenceAt',
    since: 11,
    widenHalf: false,
    create: (ctx) => (inputs) => {
      const seq = sequenceInput(ctx.node, inputs, 0);
      return [seq[position(ctx.node, tensorInput(ctx.node, inputs, 1), seq.length, 0)]];
    },
  },
  {
    op: 'SequenceInsert',
    since: 11,
    widenHalf: false,
    create: (ctx) => (inputs) => {
      const seq = [...sequenceInput(ctx.node, inputs, 0)];
      seq.splice(position(ctx.node, optionalTensor(inputs, 2), seq.length, seq.length, true), 0, tensorInput(ctx.node, inputs, 1));
      return [seq];
    },
  },
  {
    op: 'SequenceErase',
    since: 11,
    widenHalf: false,
    create: (ctx) => (inputs) => {
      const seq = [...sequenceInput(ctx.node, inputs, 0)];
      seq.splice(position(ctx.node, optionalTensor(inputs, 1), seq.length, seq.length - 1), 1);
      return [seq];
    },
  },
  {
    op: 'SplitToSequence',
    since: 11,
    widenHalf: false,
    create(ctx) {
      const { node } = ctx;
      const keepDims = node.getInt('keepdims', 1) !== 0;
      return (inputs) => {
        const x = tensorInput(node, inputs, 0);
        const axis = normalizeAxis(node, node.getInt('axis', 0), x.dims.length);
        const length = x.dims[axis];
        const s = optionalTensor(inputs, 1);
        if (!s) {
          const parts = split(x, axis, new Array(length).fill(1));
          return [keepDims ? parts : parts.map((p) => new Tensor(p.dtype, p.dims.filter((_, i) => i !== axis), p.data))];
        }
        const given = intValues(s);
        let sizes = given;
        if (s.dims.length === 0) {
          sizes = [];
          for (let left = length; left > 0; left -= given[0]) sizes.push(Math.min(given[0], left));
        }
        if (sizes.reduce((a, b) => a + b, 0) !== length) {
          throw new ShearsError('E_SHAPE', `${describe(node)}: split sizes [${sizes.join(',')}] do not add up to ${length}`, { node: node.name });
        }
        return [split(x, axis, sizes)];
      };
    },
  },
  {
    op: 'ConcatFromSequence',
    since: 11,
    widenHalf: false,
    create(ctx) {
      const { node } = ctx;
      const newAxis = node.getInt('new_axis', 0) !== 0;
      return (inputs) => {
        const seq = sequenceInput(node, inputs, 0);
        if (seq.length === 0) throw new ShearsError('E_SHAPE', `${describe(node)}: the sequence is empty`, { node: node.name });
        const rank = seq[0].dims.length + (newAxis ? 1 : 0);
        const axis = normalizeAxis(node, node.getInt('axis', 0), rank);
        return [newAxis ? stack(seq, axis) : concatenate(seq, axis)];
      };
    },
  },
  {
    op: 'SequenceMap',
    since: 17,
    widenHalf: false,
    create(ctx) {
      const { node } = ctx;
      const a = node.attr('body');
      if (a?.type !== 'graph') throw new ShearsError('E_MODEL_INVALID', `${describe(node)} has no body`, { node: node.name });
      const runner = ctx.subgraph(a.value);
      return (inputs, rc) => {
        const length = sequenceInput(node, inputs, 0).length;
        const results: Tensor[][] = a.value.outputs.map(() => []);
        for (let i = 0; i < length; i++) {
          const args = inputs.map((v) => (Array.isArray(v) ? v[i] : v));
          runner.run(args, rc.scope).forEach((v, k) => results[k].push(v as Tensor));
        }
        return results;
      };
    },
  },
);

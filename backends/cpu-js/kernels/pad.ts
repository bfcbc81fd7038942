/**
 * Pad: constant, reflect, edge and wrap padding; negative pads crop. Pads (and the fill value) come
 * from attributes before opset 11 ('paddings' in opset 1) and from inputs after, with an optional `axes` input from opset 18.
 */
import type { RuntimeValue } from '../../../src/backend/value.js';
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { normalizeAxes } from '../axes.js';
import { copyByAxisMaps } from '../axis-maps.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { elementClass, intValues, optionalTensor, tensorInput, tensorTypeOf } from '../tensors.js';

type Mode = 'constant' | 'reflect' | 'edge' | 'wrap';
const MODES: readonly string[] = ['constant', 'reflect', 'edge', 'wrap'];

/** Where output coordinate c along an axis of `n`, after `before` new positions, reads from (-1: the fill value). */
function sourceIndex(c: number, before: number, n: number, mode: Mode): number {
  const i = c - before;
  if (i >= 0 && i < n) return i;
  if (n === 0) return -1;
  switch (mode) {
    case 'constant':
      return -1;
    case 'edge':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return ((i % n) + n) % n;
    case 'reflect': {
      if (n === 1) return 0;
      const period = 2 * (n - 1);
      const r = ((i % period) + period) % period;
      return r < n ? r : period - r;
    }
  }
}

interface PadArgs {
  pads: number[];
  value: number | bigint | undefined;
  axes?: number[];
}

function padKernel(since: number, argsOf: (node: Node, inputs: readonly RuntimeValue[]) => PadArgs): KernelDef {
  return {
    op: 'Pad',
    since,
    supports: (node) => {
      const mode = node.getString('mode', 'constant');
      if (!MODES.includes(mode)) return `mode '${mode}' is not constant, reflect, edge or wrap`;
      return mode === 'wrap' && node.opset < 19 ? "mode 'wrap' needs opset 19" : true;
    },
    create(ctx) {
      const { node } = ctx;
      const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
      const mode = node.getString('mode', 'constant') as Mode;
      const rank = x.dims.length;
      const kind = elementClass(x.dtype);
      return (inputs, rc) => {
        const { pads, value, axes: givenAxes } = argsOf(node, inputs);
        const axes = normalizeAxes(node, givenAxes ?? x.dims.map((_, i) => i), rank);
        if (pads.length !== 2 * axes.length) {
          throw new ShearsError('E_SHAPE', `${describe(node)}: ${pads.length} pads for ${axes.length} axes (expected twice as many)`, { node: node.name });
        }
        const before = new Array<number>(rank).fill(0);
        const after = new Array<number>(rank).fill(0);
        axes.forEach((a, i) => {
          before[a] = pads[i];
          after[a] = pads[i + axes.length];
        });
        const outDims = x.dims.map((n, d) => n + before[d] + after[d]);
        if (outDims.some((n) => n < 0)) throw new ShearsError('E_SHAPE', `${describe(node)}: pads [${pads.join(',')}] crop more than the input has`, { node: node.name });
        x.dims.forEach((n, d) => {
          const kept = n - Math.max(0, -before[d]) - Math.max(0, -after[d]);
          if (kept <= 0 && outDims[d] > 0 && mode !== 'constant') throw new ShearsError('E_SHAPE', `${describe(node)}: cannot ${mode}-pad an empty axis`, { node: node.name });
        });
        // Negative pads crop first; the other side then pads what is left (as onnxruntime does).
        const maps = outDims.map((m, d) => {
          const lo = Math.max(0, -before[d]);
          const kept = x.dims[d] - lo - Math.max(0, -after[d]);
          return Int32Array.from({ length: m }, (_, c) => {
            const i = sourceIndex(c, Math.max(0, before[d]), kept, mode);
            return i < 0 ? i : lo + i;
          });
        });
        const fill = kind === 'big' ? BigInt(value ?? 0) : kind === 'string' ? '' : Number(value ?? 0);
        const out = rc.output(0, x.dtype, outDims);
        copyByAxisMaps(tensorInput(node, inputs, 0).data as ArrayLike<unknown>, x.dims, maps, outDims, out.data as unknown[], fill);
        return [out];
      };
    },
  };
}

registerKernel(
  padKernel(1, (node) => ({ pads: node.getInts('paddings', []), value: node.getFloat('value', 0) })),
  padKernel(2, (node) => ({ pads: node.getInts('pads', []), value: node.getFloat('value', 0) })),
  padKernel(11, (node, inputs) => {
    const value = optionalTensor(inputs, 2);
    const axes = optionalTensor(inputs, 3);
    return { pads: intValues(tensorInput(node, inputs, 1)), value: value ? (value.data[0] as number | bigint) : undefined, ...(axes ? { axes: intValues(axes) } : {}) };
  }),
);

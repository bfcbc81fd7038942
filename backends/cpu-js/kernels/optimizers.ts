/**
 * The ai.onnx.preview.training optimizers, one update step each for n tensors at once. Inputs are
 * R (learning rate), T (step count), then n tensors per group (X, G, and the optimizer's state);
 * outputs are the updated X and state, group by group, following the spec's reference formulas.
 */
import { ShearsError } from '../../../src/error.js';
import { isFloat } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import type { Tensor } from '../../../src/ir/tensor.js';
import type { RunContext } from '../kernel.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { sameDims, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

const DOMAIN = 'ai.onnx.preview.training';

/** Updates element i of tensor k: reads the input groups, writes the output groups. */
type Update = (r: number, t: number, ins: Float32Array[], outs: Float32Array[], i: number) => void;

/** `groups` input tensors per optimized tensor (X, G, state...), `outGroups` outputs (X, state...). */
function optimizer(op: string, groups: number, outGroups: number, makeUpdate: (node: Node) => Update, supports?: (node: Node) => true | string): KernelDef {
  return {
    op,
    domain: DOMAIN,
    since: 1,
    supports,
    create(ctx) {
      const { node } = ctx;
      const count = ctx.inputTypes.length - 2;
      if (count <= 0 || count % groups !== 0) throw new ShearsError('E_MODEL_INVALID', `${describe(node)}: expects R, T and ${groups} inputs per optimized tensor`, { node: node.name });
      const n = count / groups;
      const types = ctx.inputTypes.slice(2).map((t, i) => tensorTypeOf(node, t, i + 2));
      for (let k = 0; k < n; k++) {
        if (!isFloat(types[k].dtype)) throw unsupportedType(node, types[k].dtype);
        for (let g = 1; g < groups; g++) {
          if (!sameDims(types[g * n + k].dims, types[k].dims)) throw new ShearsError('E_SHAPE', `${describe(node)}: inputs for tensor ${k} differ in shape`, { node: node.name });
        }
      }
      const update = makeUpdate(node);
      const ins: Float32Array[] = new Array(groups);
      const outs: Float32Array[] = new Array(outGroups);
      return (inputs, rc: RunContext) => {
        const r = Number(tensorInput(node, inputs, 0).data[0]);
        const t = Number(tensorInput(node, inputs, 1).data[0]);
        const results: Tensor[] = new Array(outGroups * n);
        for (let k = 0; k < n; k++) {
          for (let g = 0; g < groups; g++) ins[g] = tensorInput(node, inputs, 2 + g * n + k).data as Float32Array;
          for (let g = 0; g < outGroups; g++) {
            const out = rc.output(g * n + k, types[k].dtype, types[k].dims);
            results[g * n + k] = out;
            outs[g] = out.data as Float32Array;
          }
          for (let i = 0; i < ins[0].length; i++) update(r, t, ins, outs, i);
        }
        return results;
      };
    },
  };
}

registerKernel(
  optimizer('Adagrad', 3, 2, (node) => {
    const decay = node.getFloat('decay_factor', 0);
    const epsilon = node.getFloat('epsilon', 0);
    const norm = node.getFloat('norm_coefficient', 0);
    return (r, t, [x, g, h], [xNew, hNew], i) => {
      const rate = r / (1 + t * decay);
      const gr = norm * x[i] + g[i];
      const hn = h[i] + gr * gr;
      hNew[i] = hn;
      xNew[i] = x[i] - (rate * gr) / (Math.sqrt(hn) + epsilon);
    };
  }),
  optimizer('Adam', 4, 3, (node) => {
    const alpha = node.getFloat('alpha', 0.9);
    const beta = node.getFloat('beta', 0.999);
    const epsilon = node.getFloat('epsilon', 0);
    const norm = node.getFloat('norm_coefficient', 0);
    const normPost = node.getFloat('norm_coefficient_post', 0);
    return (r, t, [x, g, v, h], [xNew, vNew, hNew], i) => {
      const gr = norm * x[i] + g[i];
      const vn = alpha * v[i] + (1 - alpha) * gr;
      const hn = beta * h[i] + (1 - beta) * gr * gr;
      const rate = t > 0 ? (r * Math.sqrt(1 - Math.pow(beta, t))) / (1 - Math.pow(alpha, t)) : r;
      vNew[i] = vn;
      hNew[i] = hn;
      xNew[i] = (1 - normPost) * (x[i] - rate * (vn / (Math.sqrt(hn) + epsilon)));
    };
  }),
  optimizer(
    'Momentum',
    3,
    2,
    (node) => {
      const alpha = node.getFloat('alpha', 0);
      const beta = node.getFloat('beta', 0);
      const norm = node.getFloat('norm_coefficient', 0);
      const nesterov = node.getString('mode', 'standard') === 'nesterov';
      return (r, t, [x, g, v], [xNew, vNew], i) => {
        const gr = norm * x[i] + g[i];
        const vn = alpha * v[i] + (t > 0 ? beta : 1) * gr;
        vNew[i] = vn;
        xNew[i] = x[i] - r * (nesterov ? gr + alpha * vn : vn);
      };
    },
    (node) => {
      const mode = node.getString('mode', 'standard');
      return mode === 'standard' || mode === 'nesterov' ? true : `mode '${mode}' is not standard or nesterov`;
    },
  ),
);

/**
 * DepthToSpace and SpaceToDepth: a reshape to 6-D, a transpose, and a reshape back, done as one
 * strided copy. DepthToSpace reads channels as [blocksize, blocksize, C'] (DCR) or [C', blocksize, blocksize] (CRD).
 */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { stridesOf } from '../axes.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { stridedCopy } from '../strided.js';
import { tensorInput, tensorTypeOf } from '../tensors.js';

interface Rearrangement {
  outDims: number[];
  /** The input viewed as 6-D, and the order in which the output walks those dims. */
  view: number[];
  perm: number[];
}

function depthToSpace(node: Node, [n, c, h, w]: readonly number[], b: number): Rearrangement {
  if (c % (b * b) !== 0) throw new ShearsError('E_SHAPE', `${describe(node)}: ${c} channels are not a multiple of blocksize² (${b * b})`, { node: node.name });
  const cOut = c / (b * b);
  const crd = node.getString('mode', 'DCR') === 'CRD';
  return {
    outDims: [n, cOut, h * b, w * b],
    view: crd ? [n, cOut, b, b, h, w] : [n, b, b, cOut, h, w],
    perm: crd ? [0, 1, 4, 2, 5, 3] : [0, 3, 4, 1, 5, 2],
  };
}

function spaceToDepth(node: Node, [n, c, h, w]: readonly number[], b: number): Rearrangement {
  if (h % b !== 0 || w % b !== 0) throw new ShearsError('E_SHAPE', `${describe(node)}: spatial dims ${h}x${w} are not multiples of blocksize ${b}`, { node: node.name });
  return { outDims: [n, c * b * b, h / b, w / b], view: [n, c, h / b, b, w / b, b], perm: [0, 3, 5, 1, 2, 4] };
}

function blockKernel(op: string, since: number, plan: typeof depthToSpace): KernelDef {
  return {
    op,
    since,
    widenHalf: false,
    supports: (node) => {
      const mode = node.getString('mode', 'DCR');
      return op !== 'DepthToSpace' || mode === 'DCR' || mode === 'CRD' ? true : `mode '${mode}' is not DCR or CRD`;
    },
    create(ctx) {
      const { node } = ctx;
      const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
      const b = node.getInt('blocksize', 0);
      if (x.dims.length !== 4 || b < 1) throw new ShearsError('E_SHAPE', `${describe(node)}: needs a 4-D input and a positive blocksize`, { node: node.name });
      const { outDims, view, perm } = plan(node, x.dims, b);
      const viewStrides = stridesOf(view);
      const dims = perm.map((p) => view[p]);
      const strides = perm.map((p) => viewStrides[p]);
      return (inputs, rc) => {
        const out = rc.output(0, x.dtype, outDims);
        stridedCopy(tensorInput(node, inputs, 0).data, 0, strides, dims, out.data);
        return [out];
      };
    },
  };
}

registerKernel(blockKernel('DepthToSpace', 1, depthToSpace), blockKernel('SpaceToDepth', 1, spaceToDepth));

/**
 * Conv (1-D to 3-D, groups, dilations, pads, auto_pad), and com.microsoft's FusedConv: the same with
 * a Relu or Clip applied as tiles are stored. The plan fuses a Relu or constant Clip that alone reads
 * a Conv's output into the Conv the same way (activation-clamp.ts). Constant
 * float32 weights that are mostly zeros (pruned) run through their CSR; other constant 3×3 stride-1
 * convolutions use Winograd, 7×7 stride-2 ones Winograd through space-to-depth; depthwise ones a
 * direct loop; the rest im2col + GEMM. In lean memory mode neither CSR nor Winograd's transformed
 * filters are made: im2col + GEMM reads weights in place.
 */
import { DType } from '../../../src/ir/dtype.js';
import { activationClamp, Clamp, composeClamps, NO_CLAMP } from '../activation-clamp.js';
import type { Node } from '../../../src/ir/node.js';
import { ConvGemm, ConvNumerics, ConvShape } from '../conv/conv-gemm.js';
import { biasValues, convOutputDims, convShape } from '../conv/conv-node.js';
import { shapeError } from '../conv/geometry.js';
import { DepthwiseConv, isDepthwise } from '../conv/depthwise.js';
import { SparseConv } from '../conv/sparse-conv.js';
import { SpaceToDepthConv, spaceToDepthApplies } from '../conv/space-to-depth.js';
import { WinogradConv, winogradApplies } from '../conv/winograd.js';
import { SPARSE_OVER_WINOGRAD_THRESHOLD, SPARSE_THRESHOLD, sparsity } from '../sparse/csr.js';
import { KernelContext, KernelRun, registerKernel } from '../kernel.js';
import { optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

/** The clamp a FusedConv's own activation attributes ask for (none for a Conv), or why it cannot be done. */
function convActivation(node: Node): Clamp | string {
  const activation = node.getString('activation', '');
  if (activation === '') return NO_CLAMP;
  if (activation === 'Relu') return { lo: 0, hi: Infinity };
  if (activation === 'Clip') {
    const [lo, hi] = node.getFloats('activation_params') ?? [-Infinity, Infinity];
    return { lo, hi };
  }
  return `fused activation '${activation}' is not supported by cpu-js (only Relu and Clip)`;
}

/** The one clamp a Conv or FusedConv applies with the activations the plan fused into it (`epilogue`). */
export function fusedConvClamp(node: Node, epilogue: readonly Node[]): Clamp {
  return epilogue.reduce((c, n) => composeClamps(c, activationClamp(n)!), convActivation(node) as Clamp);
}

/** A convolution computed from transformed weights (Winograd, directly or through space-to-depth), when one applies. */
function transformedConv(shape: ConvShape, numerics: ConvNumerics, w: Float32Array): WinogradConv | SpaceToDepthConv | null {
  if (winogradApplies(shape)) return new WinogradConv(shape, numerics, w);
  if (spaceToDepthApplies(shape)) return new SpaceToDepthConv(shape, numerics, w);
  return null;
}

function createConv(ctx: KernelContext): KernelRun {
  const { node } = ctx;
  const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
  const w = tensorTypeOf(node, ctx.inputTypes[1], 1);
  if (x.dtype !== DType.FLOAT && x.dtype !== DType.DOUBLE) throw unsupportedType(node, x.dtype);
  const shape = convShape(node, x.dims, w.dims);
  const b = ctx.inputTypes[2] ? tensorTypeOf(node, ctx.inputTypes[2], 2) : null;
  if (b && (b.dims.length !== 1 || b.dims[0] !== shape.outChannels)) throw shapeError(node, `bias [${b.dims.join(',')}] must have ${shape.outChannels} entries`);
  const clamp = fusedConvClamp(node, ctx.epilogue);
  const double = x.dtype === DType.DOUBLE;
  const numerics = { panels: double ? Float64Array : Float32Array, family: double ? 'f64' : 'f32', ...clamp };
  const wConst = ctx.constants[1];
  const bConst = ctx.constants[2];
  const bias = biasValues(shape.outChannels, bConst ? (bConst.data as Float32Array) : null);
  const outDims = convOutputDims(shape);
  const copies = ctx.memory !== 'lean';
  if (isDepthwise(shape)) {
    const depthwise = new DepthwiseConv(shape, numerics);
    return (inputs, rc) => {
      if (b && !bConst) biasValues(shape.outChannels, optionalTensor(inputs, 2)!.data as Float32Array, bias);
      const out = rc.output(0, x.dtype, outDims);
      depthwise.run(tensorInput(node, inputs, 0).data as Float32Array, (wConst ?? tensorInput(node, inputs, 1)).data as Float32Array, bias, out.data as Float32Array);
      return [out];
    };
  }
  if (copies && wConst && !double && sparsity(wConst.data as Float32Array) >= (winogradApplies(shape) || spaceToDepthApplies(shape) ? SPARSE_OVER_WINOGRAD_THRESHOLD : SPARSE_THRESHOLD)) {
    const sparse = new SparseConv(shape, numerics, wConst.data as Float32Array);
    return (inputs, rc) => {
      if (b && !bConst) biasValues(shape.outChannels, optionalTensor(inputs, 2)!.data as Float32Array, bias);
      const out = rc.output(0, x.dtype, outDims);
      sparse.run(tensorInput(node, inputs, 0).data as Float32Array, bias, out.data as Float32Array);
      return [out];
    };
  }
  const transformed = copies && wConst && !double ? transformedConv(shape, numerics, wConst.data as Float32Array) : null;
  if (transformed) {
    return (inputs, rc) => {
      if (b && !bConst) biasValues(shape.outChannels, optionalTensor(inputs, 2)!.data as Float32Array, bias);
      const out = rc.output(0, x.dtype, outDims);
      transformed.run(tensorInput(node, inputs, 0).data as Float32Array, bias, out.data as Float32Array);
      return [out];
    };
  }
  const conv = new ConvGemm(shape, numerics, wConst ? 'constant' : 'per-run');
  if (wConst) conv.setConstantWeights(wConst.data as Float32Array);
  return (inputs, rc) => {
    const X = tensorInput(node, inputs, 0).data as Float32Array;
    if (b && !bConst) biasValues(shape.outChannels, optionalTensor(inputs, 2)!.data as Float32Array, bias);
    const out = rc.output(0, x.dtype, outDims);
    conv.run(X, 0, wConst ? null : (tensorInput(node, inputs, 1).data as Float32Array), 0, bias, out.data as Float32Array);
    return [out];
  };
}

const fusesClamp = (_: Node, consumer: Node): boolean => activationClamp(consumer) !== null;

registerKernel(
  { op: 'Conv', create: createConv, fuses: fusesClamp },
  {
    op: 'FusedConv',
    domain: 'com.microsoft',
    fuses: fusesClamp,
    supports(node) {
      const verdict = convActivation(node);
      if (typeof verdict === 'string') return verdict;
      return node.inputs[3] ? 'FusedConv with a summed input Z is not supported by cpu-js' : true;
    },
    create: createConv,
  },
);

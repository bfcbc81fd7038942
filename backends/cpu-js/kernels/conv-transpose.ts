/**
 * ConvTranspose as GEMM + col2im, per image and group: cols[(Mg·taps) × inPositions] = W_gᵀ · X_g,
 * then every column entry is added onto the output (which starts as the bias).
 */
import { DType } from '../../../src/ir/dtype.js';
import { gemmPacked, plainEpilogue } from '../gemm/gemm.js';
import { microkernels } from '../gemm/microkernel.js';
import { packA, packB, packedASize, packedBSize } from '../gemm/packing.js';
import { scratch } from '../gemm/scratch.js';
import { col2im } from '../conv/col2im.js';
import { product, shapeError } from '../conv/geometry.js';
import { transposeGeometry } from '../conv/transpose-geometry.js';
import { registerKernel } from '../kernel.js';
import { optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

registerKernel({
  op: 'ConvTranspose',
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const w = tensorTypeOf(node, ctx.inputTypes[1], 1);
    if (x.dtype !== DType.FLOAT && x.dtype !== DType.DOUBLE) throw unsupportedType(node, x.dtype);
    if (x.dims.length < 3 || w.dims.length !== x.dims.length) throw shapeError(node, `input [${x.dims.join(',')}] and weights [${w.dims.join(',')}] must share a rank of 3 or more`);
    const group = node.getInt('group', 1);
    const [batch, inChannels] = x.dims;
    if (!(group >= 1) || w.dims[0] !== inChannels || inChannels % group !== 0) throw shapeError(node, `weights [${w.dims.join(',')}] do not fit ${inChannels} input channels in ${group} groups`);
    const kernel = w.dims.slice(2);
    const declared = node.getInts('kernel_shape');
    if (declared && declared.some((k, i) => k !== kernel[i])) throw shapeError(node, `kernel_shape [${declared.join(',')}] differs from the weights' [${kernel.join(',')}]`);
    const g = transposeGeometry(node, x.dims.slice(2), kernel);
    const Cg = inChannels / group;
    const Mg = w.dims[1];
    const outChannels = Mg * group;
    const taps = product(kernel);
    const rows = Mg * taps;
    const inVolume = product(g.inSize);
    const outVolume = product(g.outSize);
    const b = ctx.inputTypes[2] ? tensorTypeOf(node, ctx.inputTypes[2], 2) : null;
    if (b && (b.dims.length !== 1 || b.dims[0] !== outChannels)) throw shapeError(node, `bias [${b.dims.join(',')}] must have ${outChannels} entries`);
    const outDims = [batch, outChannels, ...g.outSize.slice(3 - g.rank)];
    const Panels = x.dtype === DType.DOUBLE ? Float64Array : Float32Array;
    const kernels = microkernels(x.dtype === DType.DOUBLE ? 'f64' : 'f32');
    const aSize = packedASize(rows, Cg);
    const packWeights = (W: ArrayLike<number>, into: Float32Array | Float64Array): void => {
      for (let gi = 0; gi < group; gi++) packA(W, gi * Cg * rows, 1, rows, rows, Cg, into, gi * aSize);
    };
    const wConst = ctx.constants[1];
    let packed: Float32Array | Float64Array | null = null;
    if (wConst) {
      packed = new Panels(group * aSize);
      packWeights(wConst.data as Float32Array, packed);
    }
    scratch('packed-a', Panels, group * aSize);
    scratch('packed-b', Panels, packedBSize(Cg, inVolume));
    scratch('columns', Panels, rows * inVolume);
    const ep = plainEpilogue(rows);
    return (inputs, rc) => {
      const X = tensorInput(node, inputs, 0).data as Float32Array;
      const B = optionalTensor(inputs, 2)?.data as Float32Array | undefined;
      let pa = packed;
      if (!pa) {
        pa = scratch('packed-a', Panels, group * aSize);
        packWeights(tensorInput(node, inputs, 1).data as Float32Array, pa);
      }
      const pb = scratch('packed-b', Panels, packedBSize(Cg, inVolume));
      const cols = scratch('columns', Panels, rows * inVolume);
      const out = rc.output(0, x.dtype, outDims);
      const Y = out.data as Float32Array;
      for (let n = 0; n < batch; n++) {
        for (let gi = 0; gi < group; gi++) {
          packB(X, (n * inChannels + gi * Cg) * inVolume, inVolume, 1, Cg, inVolume, pb, 0);
          gemmPacked(kernels, rows, inVolume, Cg, pa, gi * aSize, pb, 0, cols, 0, inVolume, ep);
          const yOff = (n * outChannels + gi * Mg) * outVolume;
          for (let m = 0; m < Mg; m++) Y.fill(B ? B[gi * Mg + m] : 0, yOff + m * outVolume, yOff + (m + 1) * outVolume);
          col2im(cols, g, Mg, Y, yOff);
        }
      }
      return [out];
    };
  },
});

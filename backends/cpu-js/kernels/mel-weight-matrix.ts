/**
 * MelWeightMatrix: triangular filters mapping the one-sided spectrum (dft_length/2 + 1 bins) to
 * num_mel_bins mel bands between the lower and upper edge frequencies, as the ONNX reference builds them.
 */
import { ShearsError } from '../../../src/error.js';
import { DType, isFloat } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import { registerKernel } from '../kernel.js';
import { elementClass, tensorInput, unsupportedType } from '../tensors.js';

const toMel = (hz: number): number => 2595 * Math.log10(1 + hz / 700);
const fromMel = (mel: number): number => 700 * (Math.pow(10, mel / 2595) - 1);

registerKernel({
  op: 'MelWeightMatrix',
  since: 17,
  create(ctx) {
    const { node } = ctx;
    const dtype = node.getInt('output_datatype', DType.FLOAT) as DType;
    const kind = elementClass(dtype);
    if (kind === 'string' || kind === 'bool' || (kind === 'float' && !isFloat(dtype))) throw unsupportedType(node, dtype);
    return (inputs, rc) => {
      const scalar = (i: number): number => Number(tensorInput(node, inputs, i).data[0]);
      const [mels, dftLength, sampleRate, lower, upper] = [0, 1, 2, 3, 4].map(scalar);
      if (!(mels >= 1 && dftLength >= 1 && sampleRate > 0 && lower >= 0 && upper > lower)) {
        throw new ShearsError('E_SHAPE', `${describe(node)}: needs positive mel bins, dft length and sample rate, and 0 <= lower < upper edge`, { node: node.name });
      }
      const spectrumBins = Math.floor(dftLength / 2) + 1;
      const low = toMel(lower);
      const step = (toMel(upper) - low) / (mels + 2);
      const edges = Int32Array.from({ length: mels + 2 }, (_, i) => Math.floor(((dftLength + 1) * fromMel(i * step + low)) / sampleRate));
      const out = rc.output(0, dtype, [spectrumBins, mels]);
      const y = out.data as unknown[];
      const zero = kind === 'big' ? 0n : 0;
      y.fill(zero);
      const put = (bin: number, mel: number, v: number): void => {
        if (bin >= 0 && bin < spectrumBins) y[bin * mels + mel] = kind === 'big' ? BigInt(Math.trunc(v)) : kind === 'int' ? Math.trunc(v) : v;
      };
      for (let i = 0; i < mels; i++) {
        const [left, center, right] = [edges[i], edges[i + 1], edges[i + 2]];
        if (center === left) put(center, i, 1);
        else for (let j = left; j <= center; j++) put(j, i, (j - left) / (center - left));
        for (let j = center; j < right; j++) put(j, i, (right - j) / (right - center));
      }
      return [out];
    };
  },
});

/**
 * STFT: Fourier transforms of frames of a real or complex signal [batch, length, 1|2], each frame
 * `frame_step` apart and multiplied by the window when one is given; one-sided by default.
 */
import { ShearsError } from '../../../src/error.js';
import { isFloat } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import { FourierPlan, fourierPlan, transform } from '../fourier.js';
import { registerKernel } from '../kernel.js';
import { optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

registerKernel({
  op: 'STFT',
  since: 17,
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (!isFloat(x.dtype)) throw unsupportedType(node, x.dtype);
    const bad = (why: string): ShearsError => new ShearsError('E_SHAPE', `${describe(node)}: ${why}`, { node: node.name });
    if (x.dims.length !== 3 || (x.dims[2] !== 1 && x.dims[2] !== 2)) throw bad(`signal [${x.dims.join(',')}] must be [batch, length, 1 or 2]`);
    const [batch, signalLength, channels] = x.dims;
    const onesided = node.getInt('onesided', 1) !== 0;
    let plan: FourierPlan | null = null;
    return (inputs, rc) => {
      const step = Number(tensorInput(node, inputs, 1).data[0]);
      const windowTensor = optionalTensor(inputs, 2);
      const window = windowTensor?.data as Float32Array | undefined;
      const lengthTensor = optionalTensor(inputs, 3);
      const frame = lengthTensor ? Number(lengthTensor.data[0]) : window ? window.length : NaN;
      if (!(frame >= 1 && frame <= signalLength)) throw bad(`frame length ${frame} must be in [1, ${signalLength}] (give frame_length or a window)`);
      if (window && window.length !== frame) throw bad(`window of ${window.length} does not match frame length ${frame}`);
      if (!(step >= 1)) throw bad(`frame_step ${step} must be positive`);
      if (onesided && channels === 2) throw bad('a one-sided STFT needs a real signal');
      if (!plan || plan.n !== frame) plan = fourierPlan(frame);
      const frames = Math.floor((signalLength - frame) / step) + 1;
      const bins = onesided ? Math.floor(frame / 2) + 1 : frame;
      const src = tensorInput(node, inputs, 0).data as Float32Array;
      const out = rc.output(0, x.dtype, [batch, frames, bins, 2]);
      const dst = out.data as Float32Array;
      const re = new Float64Array(frame);
      const im = new Float64Array(frame);
      for (let b = 0; b < batch; b++) {
        for (let f = 0; f < frames; f++) {
          for (let j = 0; j < frame; j++) {
            const at = (b * signalLength + f * step + j) * channels;
            const w = window ? window[j] : 1;
            re[j] = src[at] * w;
            im[j] = channels === 2 ? src[at + 1] * w : 0;
          }
          transform(plan, re, im, false);
          for (let k = 0; k < bins; k++) {
            const at = ((b * frames + f) * bins + k) * 2;
            dst[at] = re[k];
            dst[at + 1] = im[k];
          }
        }
      }
      return [out];
    };
  },
});

import type { Dim } from '../../types.js';
import type { Rule } from '../context.js';
import { normalizeAxis } from '../dims.js';
import { tensorOf } from './common.js';

/** DFT (opset 17): [batch, ..., n, 1|2] to [batch, ..., dft_length (onesided: half + 1), 2]. */
export const dft: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const s = ctx.shape(0);
  if (!s || s.length < 2) return tensorOf(dtype);
  const axis = normalizeAxis(ctx.node.getInt('axis', 1), s.length - 1);
  if (axis === undefined) return tensorOf(dtype);
  let length: Dim = ctx.has(1) ? ctx.value(1)?.data[0] ?? null : s[axis];
  if (ctx.node.getInt('onesided', 0) !== 0) length = typeof length === 'number' ? Math.floor(length / 2) + 1 : null;
  const out = [...s];
  out[axis] = length;
  out[s.length - 1] = 2;
  return tensorOf(dtype, out);
};

/** STFT(signal [batch, length, 1|2], frame_step, window?, frame_length?): [batch, frames, bins, 2]. */
export const stft: Rule = (ctx) => {
  const dtype = ctx.dtype(0);
  const s = ctx.shape(0);
  const step = ctx.ints(1)?.[0];
  const windowLength = ctx.has(2) ? ctx.shape(2)?.[0] : undefined;
  const frameLength = ctx.has(3) ? ctx.ints(3)?.[0] : typeof windowLength === 'number' ? windowLength : undefined;
  const batch = s?.[0] ?? null;
  const signal = s?.[1];
  const frames = typeof signal === 'number' && step && frameLength !== undefined ? Math.floor((signal - frameLength) / step) + 1 : null;
  const onesided = ctx.node.getInt('onesided', 1) !== 0;
  const bins = frameLength === undefined ? null : onesided ? Math.floor(frameLength / 2) + 1 : frameLength;
  return tensorOf(dtype, [batch, frames, bins, 2]);
};

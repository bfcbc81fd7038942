/**
 * Requantizing int32 accumulators of QLinear ops: y = saturate(round_half_even(acc · scale) + zero_point),
 * with scale = in_scale · w_scale / out_scale and every product rounded to float32, as onnxruntime computes it.
 */
import { DType } from '../../src/ir/dtype.js';
import { roundHalfEven } from './math-functions.js';

export const QUANTIZED_RANGE: Partial<Record<DType, [number, number]>> = {
  [DType.UINT8]: [0, 255],
  [DType.INT8]: [-128, 127],
};

/** Per-channel output multipliers (one per entry of `wScale`). */
export function requantScales(inScale: number, wScale: ArrayLike<number>, outScale: number, into: Float32Array): Float32Array {
  for (let i = 0; i < into.length; i++) into[i] = Math.fround(Math.fround(inScale * wScale[wScale.length === 1 ? 0 : i]) / outScale);
  return into;
}

export function requantize(acc: number, scale: number, zeroPoint: number, lo: number, hi: number): number {
  const q = roundHalfEven(Math.fround(acc * scale)) + zeroPoint;
  return q < lo ? lo : q > hi ? hi : q;
}

import { DType, isKnownDType } from '../../dtype.js';
import type { Node } from '../../node.js';
import type { Dim, ValueType } from '../../types.js';
import type { Rule, RuleContext } from '../context.js';

/** A tensor type, or unknown when the element type is. */
export function tensorOf(dtype: DType | undefined, shape?: readonly Dim[]): ValueType | undefined {
  if (dtype === undefined) return undefined;
  return shape ? { kind: 'tensor', dtype, shape: [...shape] } : { kind: 'tensor', dtype };
}

/** Output 0 has input `i`'s type (elementwise unary ops, Identity on any kind of value). */
export function sameAs(i = 0): Rule {
  return (ctx) => ctx.type(i);
}

/**
 * Spatial output size of a window op (conv, pool) for explicit pads, or null when the input size is
 * not static. In ceil mode a last window that would start inside the end padding is dropped.
 */
export function windowOutput(input: Dim, kernel: number, stride: number, padBegin: number, padEnd: number, dilation: number, ceil: boolean): Dim {
  const span = (kernel - 1) * dilation + 1;
  if (typeof input !== 'number') return stride === 1 && padBegin + padEnd === span - 1 ? input : null;
  const q = (input + padBegin + padEnd - span) / stride;
  let out = (ceil ? Math.ceil(q) : Math.floor(q)) + 1;
  if (ceil && out > 1 && (out - 1) * stride >= input + padBegin) out--;
  return out;
}

/** An element-type attribute ('to', 'dtype', 'output_datatype'), undefined when absent or not a dtype. */
export function dtypeAttr(node: Node, name: string, fallback?: DType): DType | undefined {
  const code = node.getInt(name);
  if (code === undefined) return fallback;
  return isKnownDType(code) && code !== DType.UNDEFINED ? code : undefined;
}

/** Axes given by attribute (older opsets) or by an input (newer ones); undefined when not known. */
export function axesFrom(ctx: RuleContext, input: number, attr = 'axes'): number[] | undefined | 'absent' {
  if (ctx.has(input)) return ctx.ints(input);
  return ctx.node.getInts(attr) ?? 'absent';
}

/**
 * Output spatial dims of a convolution or pooling window over `spatial` (strides, dilations, pads,
 * auto_pad and ceil_mode attributes as ONNX defines them for Conv and the pools).
 */
export function windowSpatial(node: Node, spatial: readonly Dim[], kernel: readonly number[] | undefined): Dim[] {
  const n = spatial.length;
  if (!kernel || kernel.length !== n) return spatial.map(() => null);
  const strides = node.getInts('strides') ?? new Array<number>(n).fill(1);
  const dilations = node.getInts('dilations') ?? new Array<number>(n).fill(1);
  const pads = node.getInts('pads') ?? new Array<number>(2 * n).fill(0);
  const autoPad = node.getString('auto_pad', 'NOTSET');
  const ceil = node.getInt('ceil_mode', 0) !== 0;
  return spatial.map((d, i) => {
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      if (typeof d === 'number') return Math.ceil(d / strides[i]);
      return strides[i] === 1 ? d : null;
    }
    if (autoPad === 'VALID') return windowOutput(d, kernel[i], strides[i], 0, 0, dilations[i], ceil);
    return windowOutput(d, kernel[i], strides[i], pads[i], pads[i + n], dilations[i], ceil);
  });
}

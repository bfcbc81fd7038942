/**
 * Windowed pooling: MaxPool (with the optional flat Indices output, row- or column-major),
 * AveragePool (count_include_pad) and LpPool, over 1-D to 3-D windows with strides, dilations,
 * pads, auto_pad and ceil_mode. Taps in padding are skipped; AveragePool with count_include_pad
 * divides by the taps inside the padded extent (a ceil_mode window may reach past it).
 */
import { DType } from '../../../src/ir/dtype.js';
import type { Node } from '../../../src/ir/node.js';
import { product } from '../conv/geometry.js';
import { registerKernel } from '../kernel.js';
import type { KernelContext, KernelRun } from '../kernel.js';
import { PoolShape, poolShape } from '../pool/pool-node.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

type Reducer = 'max' | 'average' | 'lp';

/** Per output position: the start of its window along each axis (may be negative: padding). */
function windowStarts(s: PoolShape): Int32Array[] {
  return [0, 1, 2].map((a) => Int32Array.from({ length: s.geom.outSize[a] }, (_, o) => o * s.geom.strides[a] - s.geom.padBegin[a]));
}

function createPool(ctx: KernelContext, reducer: Reducer): KernelRun {
  const { node } = ctx;
  const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
  const floats = x.dtype === DType.FLOAT || x.dtype === DType.DOUBLE;
  if (!floats && !(reducer === 'max' && (x.dtype === DType.UINT8 || x.dtype === DType.INT8))) throw unsupportedType(node, x.dtype);
  const s = poolShape(node, x.dims);
  const g = s.geom;
  const [ID, IH, IW] = g.inSize;
  const [OD, OH, OW] = g.outSize;
  const [KD, KH, KW] = g.kernel;
  const [DD, DH, DW] = g.dilations;
  const inVolume = product(g.inSize);
  const [startD, startH, startW] = windowStarts(s);
  const includePad = node.getInt('count_include_pad', 0) !== 0;
  const p = node.getInt('p', 2);
  const columnMajor = node.getInt('storage_order', 0) !== 0;
  const wantIndices = reducer === 'max' && node.outputs.length > 1 && node.outputs[1] !== null;
  const padEnd = [ID + g.padEnd[0], IH + g.padEnd[1], IW + g.padEnd[2]];
  const padStart = g.padBegin.map((q) => -q);
  return (inputs, rc) => {
    const X = tensorInput(node, inputs, 0).data as Float32Array;
    const out = rc.output(0, x.dtype, s.outDims);
    const Y = out.data as Float32Array;
    const indexOut = wantIndices ? rc.output(1, DType.INT64, s.outDims) : null;
    const I = indexOut ? (indexOut.data as BigInt64Array) : null;
    let o = 0;
    for (let plane = 0; plane < s.planes; plane++) {
      const base = plane * inVolume;
      for (let od = 0; od < OD; od++) {
        for (let oh = 0; oh < OH; oh++) {
          for (let ow = 0; ow < OW; ow++, o++) {
            let acc = reducer === 'max' ? -Infinity : 0;
            let best = -1;
            let inside = 0;
            let padded = 0;
            for (let kd = 0; kd < KD; kd++) {
              const id = startD[od] + kd * DD;
              const dIn = id >= 0 && id < ID;
              const dPad = id >= padStart[0] && id < padEnd[0];
              for (let kh = 0; kh < KH; kh++) {
                const ih = startH[oh] + kh * DH;
                const hIn = dIn && ih >= 0 && ih < IH;
                const hPad = dPad && ih >= padStart[1] && ih < padEnd[1];
                for (let kw = 0; kw < KW; kw++) {
                  const iw = startW[ow] + kw * DW;
                  if (hPad && iw >= padStart[2] && iw < padEnd[2]) padded++;
                  if (!hIn || iw < 0 || iw >= IW) continue;
                  inside++;
                  const at = (id * IH + ih) * IW + iw;
                  const v = X[base + at];
                  if (reducer === 'max') {
                    if (v > acc || best < 0) {
                      acc = v;
                      best = at;
                    }
                  } else if (reducer === 'average') acc += v;
                  else acc += p === 2 ? v * v : p === 1 ? Math.abs(v) : Math.abs(v) ** p;
                }
              }
            }
            if (reducer === 'average') acc /= includePad ? padded : inside;
            else if (reducer === 'lp') acc = p === 2 ? Math.sqrt(acc) : p === 1 ? acc : acc ** (1 / p);
            Y[o] = acc;
            if (I) {
              const flat = best < 0 ? 0 : columnMajor ? flatColumnMajor(best, ID, IH, IW) : best;
              I[o] = BigInt(base + flat);
            }
          }
        }
      }
    }
    return indexOut ? [out, indexOut] : [out];
  };
}

/** A row-major (d, h, w) offset re-expressed column-major ((w·IH + h)·ID + d), as storage_order 1 asks. */
function flatColumnMajor(at: number, ID: number, IH: number, IW: number): number {
  const w = at % IW;
  const h = ((at - w) / IW) % IH;
  const d = (at - w - h * IW) / (IW * IH);
  return (w * IH + h) * ID + d;
}

function poolSupports(node: Node): true | string {
  return node.getInts('kernel_shape') ? true : 'kernel_shape is required';
}

registerKernel(
  { op: 'MaxPool', supports: poolSupports, create: (ctx) => createPool(ctx, 'max') },
  { op: 'AveragePool', supports: poolSupports, create: (ctx) => createPool(ctx, 'average') },
  { op: 'LpPool', supports: poolSupports, create: (ctx) => createPool(ctx, 'lp') },
);

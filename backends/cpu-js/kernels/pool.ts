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
import { AxisTaps, MaxPoolPlanes, maxPoolPlanes } from '../pool/max-pool-planes.js';
import { PoolShape, poolShape } from '../pool/pool-node.js';
import { runMaxPoolSplit } from '../threads/max-pool-split.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

type Reducer = 'max' | 'average' | 'lp';


function axisTaps(s: PoolShape, a: number): AxisTaps {
  const g = s.geom;
  const n = g.outSize[a];
  const [size, K, stride, d, before, after] = [g.inSize[a], g.kernel[a], g.strides[a], g.dilations[a], g.padBegin[a], g.padEnd[a]];
  const taps: AxisTaps = { start: new Int32Array(n), first: new Int32Array(n), end: new Int32Array(n), padded: new Int32Array(n) };
  for (let o = 0; o < n; o++) {
    const at = o * stride - before;
    taps.start[o] = at;
    let first = K;
    let end = 0;
    let padded = 0;
    for (let k = 0; k < K; k++) {
      const i = at + k * d;
      if (i >= 0 && i < size) {
        first = Math.min(first, k);
        end = k + 1;
      }
      if (i >= -before && i < size + after) padded++;
    }
    taps.first[o] = first;
    taps.end[o] = Math.max(first, end);
    taps.padded[o] = padded;
  }
  return taps;
}

function createPool(ctx: KernelContext, reducer: Reducer): KernelRun {
  const { node } = ctx;
  const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
  const floats = x.dtype === DType.FLOAT || x.dtype === DType.DOUBLE;
  if (!floats && !(reducer === 'max' && (x.dtype === DType.UINT8 || x.dtype === DType.INT8))) throw unsupportedType(node, x.dtype);
  const s = poolShape(node, x.dims);
  const g = s.geom;
  const [, IH, IW] = g.inSize;
  const [OD, OH, OW] = g.outSize;
  const [DD, DH, DW] = g.dilations;
  const inVolume = product(g.inSize);
  const [td, th, tw] = [0, 1, 2].map((a) => axisTaps(s, a));
  const includePad = node.getInt('count_include_pad', 0) !== 0;
  const p = node.getInt('p', 2);
  const columnMajor = node.getInt('storage_order', 0) !== 0;
  const wantIndices = reducer === 'max' && node.outputs.length > 1 && node.outputs[1] !== null;
  const isMax = reducer === 'max';
  const isAverage = reducer === 'average';
  if (isMax && !wantIndices && OD === 1 && td.end[0] - td.first[0] === 1) {
    const planes: MaxPoolPlanes = { inVolume, sliceOff: (td.start[0] + td.first[0] * DD) * IH * IW, IW, DH, DW, th, tw };
    return (inputs, rc) => {
      const out = rc.output(0, x.dtype, s.outDims);
      const X = tensorInput(node, inputs, 0).data as Float32Array;
      const Y = out.data as Float32Array;
      if (!runMaxPoolSplit(planes, X, Y, s.planes)) maxPoolPlanes(planes, X, Y, 0, s.planes);
      return [out];
    };
  }
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
        const [d0, d1] = [td.first[od], td.end[od]];
        for (let oh = 0; oh < OH; oh++) {
          const [h0, h1] = [th.first[oh], th.end[oh]];
          for (let ow = 0; ow < OW; ow++, o++) {
            const [w0, w1] = [tw.first[ow], tw.end[ow]];
            let acc = isMax ? -Infinity : 0;
            let best = -1;
            for (let kd = d0; kd < d1; kd++) {
              const rowD = (td.start[od] + kd * DD) * IH;
              for (let kh = h0; kh < h1; kh++) {
                const row = (rowD + th.start[oh] + kh * DH) * IW + tw.start[ow];
                for (let kw = w0, at = row + w0 * DW; kw < w1; kw++, at += DW) {
                  const v = X[base + at];
                  if (isMax) {
                    if (v > acc || best < 0) {
                      acc = v;
                      best = at;
                    }
                  } else if (isAverage) acc += v;
                  else acc += p === 2 ? v * v : p === 1 ? Math.abs(v) : Math.abs(v) ** p;
                }
              }
            }
            if (isAverage) acc /= includePad ? td.padded[od] * th.padded[oh] * tw.padded[ow] : (d1 - d0) * (h1 - h0) * (w1 - w0);
            else if (!isMax) acc = p === 2 ? Math.sqrt(acc) : p === 1 ? acc : acc ** (1 / p);
            Y[o] = acc;
            if (I) I[o] = BigInt(base + (best < 0 ? 0 : columnMajor ? flatColumnMajor(best, g.inSize[0], IH, IW) : best));
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

/**
 * Resize (opset 10, 11, 13, 18+) and the older Upsample: nearest, linear and cubic interpolation,
 * separable, one axis at a time from the innermost (as the ONNX reference nests its 1-D steps).
 * Nearest works on any dtype as an index-table copy; linear and cubic compute in float64.
 */
import type { RuntimeValue } from '../../../src/backend/value.js';
import { ShearsError } from '../../../src/error.js';
import { isFloat } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxes } from '../axes.js';
import { copyByAxisMaps } from '../axis-maps.js';
import { KernelDef, registerKernel } from '../kernel.js';
import {
  AxisResize,
  COORDINATE_MODES,
  CoordinateMode,
  InterpolationMode,
  NEAREST_MODES,
  NearestMode,
  ResizeOptions,
  Taps,
  axisTaps,
  isIdentity,
} from '../resize-plan.js';
import { elementClass, intValues, optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

/** What the node's inputs say about the target size, before it is resolved per axis. */
interface Request {
  scales?: number[];
  sizes?: number[];
  roi?: number[];
}

type RequestOf = (node: Node, inputs: readonly RuntimeValue[]) => Request;

/** A scales/roi input as numbers; absent or empty means not given. */
function floats(inputs: readonly RuntimeValue[], i: number): number[] | undefined {
  const t = optionalTensor(inputs, i);
  return t && t.size > 0 ? Array.from(t.data as ArrayLike<number>, Number) : undefined;
}

function fail(node: Node, why: string): ShearsError {
  return new ShearsError('E_SHAPE', `${describe(node)}: ${why}`, { node: node.name });
}

/** Per-axis sizes and scales for an input of `dims`, with the opset-18 `axes` and `keep_aspect_ratio_policy`. */
function resolveAxes(node: Node, dims: readonly number[], req: Request): AxisResize[] {
  const rank = dims.length;
  const axes = normalizeAxes(node, node.getInts('axes') ?? dims.map((_, i) => i), rank);
  const list = req.sizes ?? req.scales;
  if (!list) throw fail(node, 'needs scales or sizes');
  if (req.sizes && req.scales) throw fail(node, 'has both scales and sizes');
  if (list.length !== axes.length) throw fail(node, `${list.length} scales/sizes for ${axes.length} axes`);
  const scales = dims.map(() => 1);
  const sizes = [...dims];
  if (req.sizes) {
    const policy = node.getString('keep_aspect_ratio_policy', 'stretch');
    const ratios = axes.map((a, i) => req.sizes![i] / dims[a]);
    const keep = policy === 'not_larger' ? Math.min(...ratios) : policy === 'not_smaller' ? Math.max(...ratios) : undefined;
    axes.forEach((a, i) => {
      scales[a] = keep ?? ratios[i];
      sizes[a] = keep === undefined ? req.sizes![i] : Math.round(keep * dims[a]);
    });
  } else {
    axes.forEach((a, i) => {
      scales[a] = req.scales![i];
      sizes[a] = Math.floor(dims[a] * req.scales![i]);
    });
  }
  if (scales.some((s) => !(s > 0)) || sizes.some((s) => !(s >= 0))) throw fail(node, `scales [${scales.join(',')}] are not all positive`);
  const roi = req.roi;
  return dims.map((inSize, d) => {
    const at = roi ? (roi.length === 2 * axes.length ? axes.indexOf(d) : d) : -1;
    const half = roi ? roi.length / 2 : 0;
    return { inSize, outSize: sizes[d], scale: scales[d], roiStart: at >= 0 ? roi![at] : 0, roiEnd: at >= 0 ? roi![at + half] : 1 };
  });
}

function readOptions(node: Node, legacy: boolean): ResizeOptions {
  const mode = node.getString('mode', 'nearest');
  return {
    mode: (mode === 'bilinear' ? 'linear' : mode) as InterpolationMode,
    coordinates: (legacy ? 'asymmetric' : node.getString('coordinate_transformation_mode', 'half_pixel')) as CoordinateMode,
    nearest: (legacy ? 'simple' : node.getString('nearest_mode', 'round_prefer_floor')) as NearestMode,
    cubicA: node.getFloat('cubic_coeff_a', -0.75),
    excludeOutside: node.getInt('exclude_outside', 0) !== 0,
    antialias: !legacy && node.getInt('antialias', 0) !== 0,
  };
}

function supportsResize(node: Node, legacy: boolean): true | string {
  const mode = node.getString('mode', 'nearest');
  if (!['nearest', 'linear', 'cubic', ...(legacy ? ['bilinear'] : [])].includes(mode) || (legacy && mode === 'cubic')) return `mode '${mode}' is not supported`;
  if (legacy) return true;
  const coords = node.getString('coordinate_transformation_mode', 'half_pixel');
  if (!COORDINATE_MODES.includes(coords)) return `coordinate_transformation_mode '${coords}' is not supported`;
  const nearest = node.getString('nearest_mode', 'round_prefer_floor');
  if (!NEAREST_MODES.includes(nearest)) return `nearest_mode '${nearest}' is not supported`;
  const policy = node.getString('keep_aspect_ratio_policy', 'stretch');
  if (!['stretch', 'not_larger', 'not_smaller'].includes(policy)) return `keep_aspect_ratio_policy '${policy}' is not supported`;
  return true;
}

/** One separable pass: [outer, inSize, inner] → [outer, taps rows, inner]. */
function interpolateAxis(src: ArrayLike<number>, dst: Float64Array, outer: number, inSize: number, inner: number, taps: Taps, fill: number): void {
  const rows = taps.index.length / taps.count;
  const { count, index, weight } = taps;
  for (let o = 0; o < outer; o++) {
    for (let x = 0; x < rows; x++) {
      const to = (o * rows + x) * inner;
      if (index[x * count] < 0) {
        dst.fill(fill, to, to + inner);
        continue;
      }
      for (let i = 0; i < inner; i++) {
        let sum = 0;
        for (let k = 0; k < count; k++) {
          const w = weight[x * count + k];
          if (w !== 0) sum += w * src[(o * inSize + index[x * count + k]) * inner + i];
        }
        dst[to + i] = sum;
      }
    }
  }
}

/** One separable pass over an axis, innermost first, with the buffer it writes. */
interface Pass {
  axis: number;
  outer: number;
  inSize: number;
  inner: number;
  buffer: Float64Array;
}

interface Plan {
  outDims: number[];
  taps: Taps[];
  /** Nearest mode: the one source index per output coordinate, per axis. */
  maps: Int32Array[];
  passes: Pass[];
}

function makePlan(node: Node, inDims: readonly number[], req: Request, opts: ResizeOptions): Plan {
  const axes = resolveAxes(node, inDims, req);
  const taps = axes.map((a) => axisTaps(a, opts));
  const passes: Pass[] = [];
  if (opts.mode !== 'nearest') {
    const dims = [...inDims];
    for (let d = dims.length - 1; d >= 0; d--) {
      if (isIdentity(taps[d], dims[d])) continue;
      const outer = elementCount(dims.slice(0, d));
      const inner = elementCount(dims.slice(d + 1));
      passes.push({ axis: d, outer, inSize: dims[d], inner, buffer: new Float64Array(outer * axes[d].outSize * inner) });
      dims[d] = axes[d].outSize;
    }
  }
  return { outDims: axes.map((a) => a.outSize), taps, maps: taps.map((t) => t.index), passes };
}

function resizeKernel(op: string, since: number, legacy: boolean, requestOf: RequestOf): KernelDef {
  return {
    op,
    since,
    supports: (node) => supportsResize(node, legacy),
    create(ctx) {
      const { node } = ctx;
      const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
      const opts = readOptions(node, legacy);
      if (opts.mode !== 'nearest' && !isFloat(x.dtype)) throw unsupportedType(node, x.dtype);
      if (elementClass(x.dtype) === 'string') throw unsupportedType(node, x.dtype);
      const extrapolation = node.getFloat('extrapolation_value', 0);
      const fill = elementClass(x.dtype) === 'big' ? BigInt(Math.trunc(extrapolation)) : extrapolation;
      let cachedKey = '';
      let plan: Plan | null = null;
      return (inputs, rc) => {
        const req = requestOf(node, inputs);
        const key = JSON.stringify(req);
        if (!plan || key !== cachedKey) {
          plan = makePlan(node, x.dims, req, opts);
          cachedKey = key;
        }
        const { outDims, taps, maps, passes } = plan;
        const out = rc.output(0, x.dtype, outDims);
        const src = tensorInput(node, inputs, 0).data;
        if (opts.mode === 'nearest') {
          copyByAxisMaps(src as ArrayLike<unknown>, x.dims, maps, outDims, out.data as unknown[], fill);
          return [out];
        }
        let cur: ArrayLike<number> = src as Float32Array;
        for (const p of passes) {
          interpolateAxis(cur, p.buffer, p.outer, p.inSize, p.inner, taps[p.axis], extrapolation);
          cur = p.buffer;
        }
        const dst = out.data as Float32Array;
        for (let i = 0; i < dst.length; i++) dst[i] = cur[i];
        return [out];
      };
    },
  };
}

registerKernel(
  resizeKernel('Upsample', 7, true, (node) => ({ scales: node.getFloats('scales') })),
  resizeKernel('Upsample', 9, true, (_, inputs) => ({ scales: floats(inputs, 1) })),
  resizeKernel('Resize', 10, true, (_, inputs) => ({ scales: floats(inputs, 1) })),
  resizeKernel('Resize', 11, false, (node, inputs) => {
    const sizes = optionalTensor(inputs, 3);
    const scales = floats(inputs, 2);
    const roi = node.getString('coordinate_transformation_mode', 'half_pixel') === 'tf_crop_and_resize' ? floats(inputs, 1) : undefined;
    return { ...(sizes && sizes.size > 0 ? { sizes: intValues(sizes) } : { scales }), ...(roi ? { roi } : {}) };
  }),
);

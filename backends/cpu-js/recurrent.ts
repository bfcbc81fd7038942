/**
 * The driver shared by RNN, GRU and LSTM: layouts (time-major, or batch-major with layout=1),
 * directions, per-batch sequence lengths, initial states and the optional outputs. A cell computes
 * one step of one batch row; the input projection X·Wᵀ + Wb is done for all steps up front.
 */
import { ShearsError } from '../../src/error.js';
import { isFloat } from '../../src/ir/dtype.js';
import { describe } from '../../src/ir/node.js';
import type { Node } from '../../src/ir/node.js';
import { KernelDef } from './kernel.js';
import { Activation, activationsSupported, readActivations } from './rnn-activations.js';
import { optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from './tensors.js';

/** One step's operands; the driver fills it in place (no allocation per step). */
export interface Step {
  /** Input projection plus input bias for this step and row: `gates × H` values from `xwAt`. */
  xw: Float64Array;
  xwAt: number;
  /** This direction's recurrence weights [gates×H, H], recurrence bias (gates×H) and peepholes (3×H). */
  r: ArrayLike<number>;
  rAt: number;
  rb: ArrayLike<number>;
  rbAt: number;
  p: ArrayLike<number> | null;
  pAt: number;
  hPrev: Float64Array;
  cPrev: Float64Array;
  h: Float64Array;
  c: Float64Array;
  /** This direction's activation functions. */
  act: Activation[];
}

/** Computes `step.h` (and `step.c`) from the previous state. */
export type Cell = (step: Step) => void;

export interface RecurrentSpec {
  op: 'RNN' | 'GRU' | 'LSTM';
  since: number;
  gates: number;
  defaultActivations: readonly string[];
  /** LSTM: a cell state (initial_c input 6, Y_c output 2) and peepholes (input 7). */
  hasCellState: boolean;
  makeCell(node: Node, hidden: number, clip: number): Cell;
}

function directionsOf(node: Node): number | string {
  const d = node.getString('direction', 'forward');
  return d === 'forward' || d === 'reverse' ? 1 : d === 'bidirectional' ? 2 : `direction '${d}' is not forward, reverse or bidirectional`;
}

/** Clamps to [-clip, clip] (clip = Infinity: unclipped). */
export function clamp(x: number, clip: number): number {
  return x < -clip ? -clip : x > clip ? clip : x;
}

export function recurrentKernel(spec: RecurrentSpec): KernelDef {
  return {
    op: spec.op,
    since: spec.since,
    supports: (node) => {
      const dirs = directionsOf(node);
      if (typeof dirs === 'string') return dirs;
      if (node.getInt('layout', 0) > 1) return `layout ${node.getInt('layout', 0)} is not 0 or 1`;
      return activationsSupported(node, spec.defaultActivations, dirs);
    },
    create(ctx) {
      const { node } = ctx;
      const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
      if (!isFloat(x.dtype)) throw unsupportedType(node, x.dtype);
      const w = tensorTypeOf(node, ctx.inputTypes[1], 1);
      const r = tensorTypeOf(node, ctx.inputTypes[2], 2);
      const dirs = directionsOf(node) as number;
      const reverseOnly = node.getString('direction', 'forward') === 'reverse';
      const batchMajor = node.getInt('layout', 0) === 1;
      const G = spec.gates;
      const H = node.getInt('hidden_size') ?? r.dims[2];
      const bad = (why: string): ShearsError => new ShearsError('E_SHAPE', `${describe(node)}: ${why}`, { node: node.name });
      if (x.dims.length !== 3) throw bad(`X must be 3-D, has shape [${x.dims.join(',')}]`);
      const [seq, batch, inputSize] = batchMajor ? [x.dims[1], x.dims[0], x.dims[2]] : x.dims;
      if (w.dims.join() !== [dirs, G * H, inputSize].join()) throw bad(`W has shape [${w.dims.join(',')}], expected [${dirs},${G * H},${inputSize}]`);
      if (r.dims.join() !== [dirs, G * H, H].join()) throw bad(`R has shape [${r.dims.join(',')}], expected [${dirs},${G * H},${H}]`);
      const act = readActivations(node, spec.defaultActivations, dirs);
      const perDir = spec.defaultActivations.length;
      const clip = node.getFloat('clip') ?? Infinity;
      const cell = spec.makeCell(node, H, clip);
      const xw = new Float64Array(seq * batch * G * H);
      const zeros = new Float64Array(2 * G * H);
      const state = { hPrev: new Float64Array(H), cPrev: new Float64Array(H), h: new Float64Array(H), c: new Float64Array(H) };
      const step: Step = { xw, xwAt: 0, r: zeros, rAt: 0, rb: zeros, rbAt: 0, p: null, pAt: 0, ...state, act: [] };
      const xRow = (t: number, b: number): number => (batchMajor ? b * seq + t : t * batch + b) * inputSize;
      const yRow = (t: number, d: number, b: number): number => (batchMajor ? (b * seq + t) * dirs + d : (t * dirs + d) * batch + b) * H;
      const stateRow = (d: number, b: number): number => (batchMajor ? b * dirs + d : d * batch + b) * H;
      const yDims = batchMajor ? [batch, seq, dirs, H] : [seq, dirs, batch, H];
      const stateDims = batchMajor ? [batch, dirs, H] : [dirs, batch, H];
      return (inputs, rc) => {
        const X = tensorInput(node, inputs, 0).data as Float32Array;
        const W = tensorInput(node, inputs, 1).data as Float32Array;
        const R = tensorInput(node, inputs, 2).data as Float32Array;
        const B = optionalTensor(inputs, 3)?.data as Float32Array | undefined;
        const lens = optionalTensor(inputs, 4)?.data;
        const h0 = optionalTensor(inputs, 5)?.data as Float32Array | undefined;
        const c0 = spec.hasCellState ? (optionalTensor(inputs, 6)?.data as Float32Array | undefined) : undefined;
        const P = spec.hasCellState ? (optionalTensor(inputs, 7)?.data as Float32Array | undefined) : undefined;
        const Y = node.outputs[0] ? rc.output(0, x.dtype, yDims) : null;
        const Yh = node.outputs[1] ? rc.output(1, x.dtype, stateDims) : null;
        const Yc = spec.hasCellState && node.outputs[2] ? rc.output(2, x.dtype, stateDims) : null;
        const y = Y?.data as Float32Array | undefined;
        y?.fill(0);
        step.r = R;
        step.rb = B ?? zeros;
        step.p = P ?? null;
        for (let d = 0; d < dirs; d++) {
          const reverse = reverseOnly || d === 1;
          for (let t = 0; t < seq; t++) {
            for (let b = 0; b < batch; b++) {
              const xAt = xRow(t, b);
              const to = (t * batch + b) * G * H;
              for (let g = 0; g < G * H; g++) {
                const wAt = (d * G * H + g) * inputSize;
                let s = B ? B[d * 2 * G * H + g] : 0;
                for (let k = 0; k < inputSize; k++) s += X[xAt + k] * W[wAt + k];
                xw[to + g] = s;
              }
            }
          }
          step.rAt = d * G * H * H;
          step.rbAt = B ? d * 2 * G * H + G * H : 0;
          step.pAt = d * 3 * H;
          step.act = act.slice(d * perDir, (d + 1) * perDir);
          for (let b = 0; b < batch; b++) {
            const len = lens ? Number(lens[b]) : seq;
            if (!(len >= 0 && len <= seq)) throw bad(`sequence length ${len} is outside [0, ${seq}]`);
            const s0 = stateRow(d, b);
            for (let j = 0; j < H; j++) {
              step.hPrev[j] = h0 ? h0[s0 + j] : 0;
              step.cPrev[j] = c0 ? c0[s0 + j] : 0;
            }
            for (let i = 0; i < len; i++) {
              const t = reverse ? len - 1 - i : i;
              step.xwAt = (t * batch + b) * G * H;
              cell(step);
              if (y) {
                const at = yRow(t, d, b);
                for (let j = 0; j < H; j++) y[at + j] = step.h[j];
              }
              step.hPrev.set(step.h);
              step.cPrev.set(step.c);
            }
            if (Yh) for (let j = 0; j < H; j++) (Yh.data as Float32Array)[s0 + j] = step.hPrev[j];
            if (Yc) for (let j = 0; j < H; j++) (Yc.data as Float32Array)[s0 + j] = step.cPrev[j];
          }
        }
        return spec.hasCellState ? [Y, Yh, Yc] : [Y, Yh];
      };
    },
  };
}

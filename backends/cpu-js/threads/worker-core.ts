/**
 * A worker thread's side of the pool: it keeps the kernels it was told about (their packed weights
 * in shared memory) and, for each job, claims and computes parts until none is left (claim.ts).
 */
import { ConvGemm } from '../conv/conv-gemm.js';
import { WinogradConv } from '../conv/winograd.js';
import { WINOGRAD_VARIANTS } from '../conv/winograd-transforms.js';
import { StridedGemm } from '../gemm/strided-gemm.js';
import { MaxPoolPlanes, maxPoolPlanes } from '../pool/max-pool-planes.js';
import { runClaimed } from './claim.js';
import { FromWorker, MESSAGE_START, NumericsMessage, ToWorker } from './messages.js';

const convs = new Map<number, ConvGemm>();
const winograds = new Map<number, WinogradConv>();
const gemms = new Map<number, StridedGemm>();
const maxPools = new Map<number, MaxPoolPlanes>();
let control: Int32Array = new Int32Array(MESSAGE_START);

const panelCtor = (m: NumericsMessage) => (m.panels === 'Float64Array' ? Float64Array : Float32Array);
const numerics = (m: NumericsMessage) => ({ panels: panelCtor(m), family: m.family, lo: m.lo, hi: m.hi });

export function handleMessage(m: ToWorker, reply: (m: FromWorker) => void): void {
  switch (m.type) {
    case 'init':
      control = m.control;
      reply({ type: 'ready' });
      return;
    case 'conv-task': {
      const conv = new ConvGemm(m.shape, numerics(m), 'constant');
      conv.adoptConstantWeights(m.weights);
      convs.set(m.id, conv);
      return;
    }
    case 'winograd-task':
      winograds.set(m.id, new WinogradConv(m.shape, numerics(m), null, { variant: WINOGRAD_VARIANTS[m.variant], transposed: m.transposed }, m.packedU));
      return;
    case 'gemm-task': {
      const gemm = new StridedGemm(m.M, m.N, m.K, m.panels === 'Float64Array' ? Float64Array : Float32Array, m.family, 'fixed');
      gemm.adoptFixedB(m.packedB);
      gemms.set(m.id, gemm);
      return;
    }
    case 'max-pool-task':
      maxPools.set(m.id, m.geometry);
      return;
    case 'drop':
      convs.delete(m.id);
      winograds.delete(m.id);
      gemms.delete(m.id);
      maxPools.delete(m.id);
      return;
    case 'conv':
      return runClaimed(control, m.job, m.count, (i) => {
        const conv = known(convs, m.task);
        conv.runPart(m.x, m.xShift, conv.constantWeights!, m.bias, m.y, m.parts[i]);
      });
    case 'winograd':
      return runClaimed(control, m.job, m.count, (i) => known(winograds, m.task).runPart(m.x, m.bias, m.y, m.parts[i]));
    case 'max-pool':
      return runClaimed(control, m.job, m.count, (i) => maxPoolPlanes(known(maxPools, m.task), m.x, m.y, m.ranges[i][0], m.ranges[i][1]));
    case 'gemm':
      return runClaimed(control, m.job, m.count, (i) => {
        const gemm = known(gemms, m.task);
        const { rows, cols } = m.blocks[i];
        gemm.runBlock(m.a, gemm.fixedB!, m.C, m.cOff, m.ldc, m.ep, rows[0], rows[1], cols[0], cols[1]);
      });
  }
}

function known<T>(tasks: Map<number, T>, id: number): T {
  const t = tasks.get(id);
  if (!t) throw new Error(`worker thread has no task ${id}`);
  return t;
}

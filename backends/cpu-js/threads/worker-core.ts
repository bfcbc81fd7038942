/**
 * A worker thread's side of the pool: it keeps the kernels it was told about (their packed weights
 * in shared memory) and computes the parts of them it is handed, signalling each completion (or
 * failure) through the shared control block the calling thread waits on.
 */
import { ConvGemm } from '../conv/conv-gemm.js';
import { StridedGemm } from '../gemm/strided-gemm.js';
import { FAILED, FromWorker, MESSAGE_LENGTH, MESSAGE_START, PanelName, PENDING, ToWorker } from './messages.js';

const convs = new Map<number, ConvGemm>();
const gemms = new Map<number, StridedGemm>();
let control: Int32Array = new Int32Array(MESSAGE_START);

const panelCtor = (name: PanelName) => (name === 'Float64Array' ? Float64Array : Float32Array);

export function handleMessage(m: ToWorker, reply: (m: FromWorker) => void): void {
  switch (m.type) {
    case 'init':
      control = m.control;
      reply({ type: 'ready' });
      return;
    case 'conv-task': {
      const conv = new ConvGemm(m.shape, { panels: panelCtor(m.panels), family: m.family, lo: m.lo, hi: m.hi });
      conv.adoptConstantWeights(m.weights);
      convs.set(m.id, conv);
      return;
    }
    case 'gemm-task': {
      const gemm = new StridedGemm(m.M, m.N, m.K, panelCtor(m.panels), m.family);
      gemm.adoptFixedB(m.packedB);
      gemms.set(m.id, gemm);
      return;
    }
    case 'drop':
      convs.delete(m.id);
      gemms.delete(m.id);
      return;
    case 'conv':
      return job(() => {
        const conv = known(convs, m.task);
        conv.runPart(m.x, m.xShift, conv.constantWeights!, m.bias, m.y, m.part);
      });
    case 'gemm':
      return job(() => {
        const gemm = known(gemms, m.task);
        gemm.runBlock(m.a, gemm.fixedB!, m.C, m.cOff, m.ldc, m.ep, m.rows[0], m.rows[1], m.cols[0], m.cols[1]);
      });
  }
}

function known<T>(tasks: Map<number, T>, id: number): T {
  const t = tasks.get(id);
  if (!t) throw new Error(`worker thread has no task ${id}`);
  return t;
}

function job(run: () => void): void {
  try {
    run();
  } catch (e) {
    if (Atomics.compareExchange(control, FAILED, 0, 1) === 0) {
      const text = String((e as Error)?.message ?? e).slice(0, control.length - MESSAGE_START);
      for (let i = 0; i < text.length; i++) control[MESSAGE_START + i] = text.charCodeAt(i);
      Atomics.store(control, MESSAGE_LENGTH, text.length);
    }
  } finally {
    Atomics.sub(control, PENDING, 1);
    Atomics.notify(control, PENDING);
  }
}

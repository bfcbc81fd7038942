import { describe, expect, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { OpCase, attr, expectSameAsOrt, f32, pseudoRandom, runCpuTensors, tensor } from './op-check.js';

const seq = 4;
const batch = 3;
const input = 2;
const hidden = 3;

function weights(gates: number, dirs: number, peepholes: boolean): (Tensor | null)[] {
  return [
    f32([seq, batch, input], pseudoRandom(seq * batch * input, 1)),
    f32([dirs, gates * hidden, input], pseudoRandom(dirs * gates * hidden * input, 2)),
    f32([dirs, gates * hidden, hidden], pseudoRandom(dirs * gates * hidden * hidden, 3)),
    f32([dirs, 2 * gates * hidden], pseudoRandom(dirs * 2 * gates * hidden, 4)),
    tensor(DType.INT32, [batch], [4, 2, 3]),
    f32([dirs, batch, hidden], pseudoRandom(dirs * batch * hidden, 5)),
    ...(gates === 4 ? [f32([dirs, batch, hidden], pseudoRandom(dirs * batch * hidden, 6)), peepholes ? f32([dirs, 3 * hidden], pseudoRandom(dirs * 3 * hidden, 7)) : null] : []),
  ];
}

const cells = [
  { op: 'RNN', gates: 1, outputs: 2 },
  { op: 'GRU', gates: 3, outputs: 2 },
  { op: 'LSTM', gates: 4, outputs: 3 },
];

/** `t` transposed: output dim k is input dim perm[k]. */
function transpose(t: Tensor, perm: number[]): Tensor {
  const dims = [...t.dims];
  const outDims = perm.map((p) => dims[p]);
  const src = t.toNumbers();
  const out = new Float32Array(src.length);
  const strides = dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
  const idx = new Array(dims.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    out[o] = src[perm.reduce((s, p, k) => s + idx[k] * strides[p], 0)];
    for (let k = dims.length - 1; k >= 0; k--) {
      if (++idx[k] < outDims[k]) break;
      idx[k] = 0;
    }
  }
  return new Tensor(t.dtype, outDims, out);
}

describe('RNN, GRU and LSTM against onnxruntime', () => {
  for (const { op, gates, outputs } of cells) {
    for (const direction of ['forward', 'reverse', 'bidirectional']) {
      it(`${op} ${direction} with sequence lengths and initial state`, async () => {
        const dirs = direction === 'bidirectional' ? 2 : 1;
        await expectSameAsOrt({ op, inputs: weights(gates, dirs, true), attributes: [attr.string('direction', direction), attr.int('hidden_size', hidden)], outputs });
      });
    }
  }

  it('GRU with linear_before_reset, clip and custom activations', async () => {
    await expectSameAsOrt({
      op: 'GRU',
      inputs: weights(3, 2, false),
      attributes: [
        attr.string('direction', 'bidirectional'),
        attr.int('hidden_size', hidden),
        attr.int('linear_before_reset', 1),
        attr.float('clip', 0.4),
        attr.strings('activations', ['HardSigmoid', 'LeakyRelu', 'Sigmoid', 'Tanh']),
        attr.floats('activation_alpha', [0.3, 0.05]),
        attr.floats('activation_beta', [0.4]),
      ],
      outputs: 2,
    });
  });

  it('LSTM with input_forget and only Y_h requested', async () => {
    await expectSameAsOrt({
      op: 'LSTM',
      inputs: weights(4, 1, true),
      attributes: [attr.int('hidden_size', hidden), attr.int('input_forget', 1), attr.strings('activations', ['Sigmoid', 'Softsign', 'Tanh'])],
      outputs: [false, true],
    });
  });

  it('RNN with Relu and no bias, lengths or initial state', async () => {
    const [x, w, r] = weights(1, 1, false);
    await expectSameAsOrt({ op: 'RNN', inputs: [x, w, r], attributes: [attr.int('hidden_size', hidden), attr.strings('activations', ['Relu'])], outputs: 2 });
  });
});

describe('batch-major layout (layout=1), which onnxruntime lacks', () => {
  for (const { op, gates, outputs } of cells) {
    it(`${op} bidirectional equals the time-major result with batch and time swapped`, async () => {
      const timeMajor: OpCase = { op, inputs: weights(gates, 2, true), attributes: [attr.string('direction', 'bidirectional'), attr.int('hidden_size', hidden)], outputs };
      const want = await runCpuTensors(timeMajor);
      // Inputs: X [seq,batch,in] → [batch,seq,in]; initial states [dirs,batch,H] → [batch,dirs,H].
      const batchInputs = timeMajor.inputs.map((t, i) => (t && (i === 0 || i === 5 || i === 6) ? transpose(t, [1, 0, 2]) : t));
      const got = await runCpuTensors({ ...timeMajor, inputs: batchInputs, attributes: [...timeMajor.attributes!, attr.int('layout', 1)] });
      // Y [seq,dirs,batch,H] → [batch,seq,dirs,H]; Y_h/Y_c [dirs,batch,H] → [batch,dirs,H].
      const y = transpose(want[0], [2, 0, 1, 3]);
      expect(got[0].dims).toEqual(y.dims);
      expect(got[0].toNumbers()).toEqual(y.toNumbers());
      for (let k = 1; k < outputs; k++) expect(got[k].toNumbers()).toEqual(transpose(want[k], [1, 0, 2]).toNumbers());
    });
  }
});

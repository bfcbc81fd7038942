/**
 * Whole models through cpu-js against onnxruntime on the same seeded inputs: the bundled digits CNN,
 * and the torchvision/transformer fixtures (built into test/fixtures/.cache by test/global-setup.ts). Each model runs twice, so the second run uses the buffer plan
 * recorded by the first; the plan's statistics are printed.
 */
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../backends/cpu-js/compile.js';
import { ShearsError } from '../../../src/error.js';
import type { Tensor } from '../../../src/ir/tensor.js';
import { randomInputs } from '../../../src/io/input-files.js';
import { loadModel } from '../../../src/onnx/import.js';
import { runOrt } from '../../helpers/ort.js';
import { mismatch } from './compare.js';

const MODELS = [
  'models/digits-cnn.onnx',
  'test/fixtures/.cache/resnet18.onnx',
  'test/fixtures/.cache/mobilenet_v2.onnx',
  'test/fixtures/.cache/transformer.onnx',
];

describe('cpu-js on whole models, against onnxruntime', () => {
  for (const file of MODELS) {
    it(file, async (ctx) => {
      const model = loadModel(file);
      const { feeds } = randomInputs(model.graph, 1);
      let exe;
      try {
        exe = compileGraph(model.graph);
      } catch (e) {
        if (e instanceof ShearsError && e.code === 'E_UNSUPPORTED_OP') ctx.skip(e.message.split('\n').join('; '));
        throw e;
      }
      const expected = await runOrt(file, feeds as Record<string, Tensor>);
      for (let run = 0; run < 2; run++) {
        const actual = exe.runSync(feeds);
        for (const [name, want] of Object.entries(expected)) expect(mismatch(actual[name], want, { rtol: 1e-3, atol: 1e-4 }), `run ${run}, output ${name}`).toBeNull();
      }
      const s = exe.stats()!;
      console.log(`${file}: peak activation bytes ${s.peakActivationBytes} vs sum of intermediates ${s.sumIntermediateBytes} (${s.plannedValues} planned, ${s.unplannedValues} unplanned, ${s.kernelCalls} kernel calls)`);
      expect(s.peakActivationBytes).toBeLessThan(s.sumIntermediateBytes);
    });
  }
});

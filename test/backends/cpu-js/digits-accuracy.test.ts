/**
 * The bundled digits CNN on its whole test split through cpu-js: the number of correct predictions
 * equals onnxruntime-node's on the same model bytes and the model card's (models/digits-cnn.json,
 * computed by torch when the model was trained), both as exported and after `simplify`.
 */
import * as fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compileGraph } from '../../../backends/cpu-js/compile.js';
import { cpuEvaluator } from '../../../backends/cpu-js/evaluator.js';
import type { Tensor } from '../../../src/ir/tensor.js';
import { decodeModel, decodeTensor } from '../../../src/onnx/import.js';
import { encodeModel } from '../../../src/onnx/export.js';
import { runPipeline } from '../../../src/pass/manager.js';
import { argmaxRows } from '../../../src/report/deviation.js';
import { runOrt } from '../../helpers/ort.js';
import { mismatch } from './compare.js';

const MODEL = new Uint8Array(fs.readFileSync('models/digits-cnn.onnx'));
const IMAGES = decodeTensor(new Uint8Array(fs.readFileSync('models/digits-test-input.pb')));
const LABELS = decodeTensor(new Uint8Array(fs.readFileSync('models/digits-test-labels.pb'))).toNumbers();
const CARD = JSON.parse(fs.readFileSync('models/digits-cnn.json', 'utf8')) as { correct: number; test_samples: number; accuracy_torch: number };

function predictions(logits: Tensor): Int32Array {
  const predicted = argmaxRows(logits);
  if (!predicted) throw new Error(`logits of shape [${logits.dims.join(',')}] are not [N, classes]`);
  return predicted;
}

function correct(predicted: Int32Array): number {
  return predicted.reduce((n, p, i) => n + (p === LABELS[i] ? 1 : 0), 0);
}

describe('digits-cnn test-split accuracy on cpu-js', () => {
  test('the test split and the model card agree with each other', () => {
    expect(IMAGES.dims).toEqual([CARD.test_samples, 1, 8, 8]);
    expect(LABELS.length).toBe(CARD.test_samples);
    expect(CARD.correct / CARD.test_samples).toBeCloseTo(CARD.accuracy_torch, 12);
  });

  for (const pipeline of [null, 'simplify']) {
    test(pipeline ? `after ${pipeline}` : 'as exported', async () => {
      const model = decodeModel(MODEL);
      // The pipeline must have changed the graph (folded the BatchNormalizations), or this case would repeat the first.
      if (pipeline) expect(runPipeline(model, pipeline, { evaluator: cpuEvaluator, log: () => {}, reproducer: false }).changed).toBe(true);
      const feeds = { input: IMAGES };
      const cpu = compileGraph(model.graph).runSync(feeds).logits as Tensor;
      const ort = (await runOrt(encodeModel(model).bytes, feeds)).logits;
      expect(mismatch(cpu, ort, { rtol: 1e-3, atol: 1e-4 })).toBeNull();
      const cpuPredicted = predictions(cpu);
      expect(cpuPredicted).toEqual(predictions(ort));
      const cpuCorrect = correct(cpuPredicted);
      console.log(`digits-cnn ${pipeline ?? 'as exported'} on cpu-js: ${cpuCorrect}/${LABELS.length} correct (ORT ${correct(predictions(ort))}, model card ${CARD.correct})`);
      expect(cpuCorrect).toBe(correct(predictions(ort)));
      expect(cpuCorrect).toBe(CARD.correct);
    });
  }
});

/**
 * The bundled digits CNN (a residual Add coupling conv2/conv3, Flatten into a Gemm) pruned by
 * channels, without fine-tuning: test-split accuracy before and after 25/50/75% of the channels of
 * every group are removed, computed with onnxruntime on the real test images.
 */
import * as fs from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { PRUNE_CHANNELS_DEFAULTS, pruneChannels } from '../../passes/prune-channels/prune.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { verifyModel } from '../../src/ir/verify.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeTensor, loadModel } from '../../src/onnx/import.js';
import { runOrt } from '../helpers/ort.js';

const images = decodeTensor(new Uint8Array(fs.readFileSync('models/digits-test-input.pb')));
const labels = decodeTensor(new Uint8Array(fs.readFileSync('models/digits-test-labels.pb'))).toNumbers();

async function accuracy(model: Uint8Array): Promise<number> {
  const out = await runOrt(model, { input: images });
  const logits: Tensor = Object.values(out)[0];
  const [n, classes] = logits.dims;
  const x = logits.toNumbers();
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const row = x.slice(i * classes, (i + 1) * classes);
    if (row.indexOf(Math.max(...row)) === labels[i]) correct++;
  }
  return correct / n;
}

const rows: string[] = [];

describe('prune-channels on the digits CNN', () => {
  test('accuracy before and after removing 25/50/75% of the channels (no fine-tuning)', async () => {
    const dense = await accuracy(new Uint8Array(fs.readFileSync('models/digits-cnn.onnx')));
    expect(dense).toBeCloseTo(447 / 450, 6);
    rows.push(`dense               accuracy ${dense.toFixed(4)}`);
    for (const criterion of ['l1', 'bn-gamma', 'random'] as const) {
      let lastParams = Infinity;
      for (const ratio of [0.25, 0.5, 0.75]) {
        const model = loadModel('models/digits-cnn.onnx');
        const r = pruneChannels(model, { ...PRUNE_CHANNELS_DEFAULTS, criterion, ratio, include: [], exclude: [] });
        expect(verifyModel(model)).toEqual([]);
        expect(r.reachable).toBe(1);
        expect(r.params.after).toBeLessThan(lastParams);
        lastParams = r.params.after;
        const acc = await accuracy(encodeModel(model).bytes);
        const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)}%`;
        rows.push(`${criterion.padEnd(8)} ratio ${ratio.toFixed(2)} accuracy ${acc.toFixed(4)}  params ${pct(r.params.after, r.params.before)}  FLOPs ${pct(r.flops.after, r.flops.before)}`);
      }
    }
  });

  afterAll(() => {
    if (rows.length) console.log(`digits-cnn, test split (450 images):\n${rows.join('\n')}`);
  });
});

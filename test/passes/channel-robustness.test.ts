/**
 * prune-channels never crashes on the ONNX node test suite's models (932 graphs of every op):
 * it prunes, or leaves the model alone, and the result is a valid graph; where it changed
 * something and onnxruntime runs the original, the result runs too and gives the outputs of the
 * soft-pruned model.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { PRUNE_CHANNELS_DEFAULTS, pruneChannels } from '../../passes/prune-channels/prune.js';
import { ShearsError } from '../../src/error.js';
import { verifyModel } from '../../src/ir/verify.js';
import { loadModel } from '../../src/onnx/import.js';
import { checkInvariant, randomChoice } from './channel-helpers.js';

const SUITE = '/usr/share/libonnx-testdata/data/node';
const names = fs.existsSync(SUITE) ? fs.readdirSync(SUITE).sort() : [];

describe('prune-channels on the ONNX node test suite', () => {
  test.skipIf(!names.length)('no crash, valid graphs, and the invariant where something was pruned', async () => {
    const changed: string[] = [];
    for (const name of names) {
      const file = path.join(SUITE, name, 'model.onnx');
      let model;
      try {
        model = loadModel(file);
      } catch (e) {
        expect(e).toBeInstanceOf(ShearsError);
        continue;
      }
      try {
        const r = pruneChannels(model, { ...PRUNE_CHANNELS_DEFAULTS, include: [], exclude: [] });
        expect(verifyModel(model), name).toEqual([]);
        if (r.channels.removed) changed.push(name);
      } catch (e) {
        expect(e, name).toBeInstanceOf(ShearsError);
      }
    }
    console.log(`node suite: ${names.length} models, channels removed in ${changed.length}: ${changed.join(', ')}`);
    for (const name of changed) await checkInvariant(path.join(SUITE, name, 'model.onnx'), randomChoice(1));
  }, 120_000);
});

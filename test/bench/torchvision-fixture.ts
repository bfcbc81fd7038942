/** Torchvision models for benchmarks: built once into the fixture cache, then loaded `simplify`-optimized (BatchNormalization folded into Conv: what a user would deploy). */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cpuEvaluator } from '../../backends/cpu-js/evaluator.js';
import type { Model } from '../../src/ir/model.js';
import { loadModel } from '../../src/onnx/import.js';
import { runPipeline } from '../../src/pass/manager.js';

const CACHE = 'test/fixtures/.cache';

export function fixture(name: string): string {
  const file = path.join(CACHE, `${name}.onnx`);
  if (!fs.existsSync(file)) {
    const r = spawnSync('/usr/bin/python3', ['test/fixtures/build-torchvision.py', CACHE, name], { stdio: 'inherit' });
    if (r.status !== 0 || !fs.existsSync(file)) throw new Error(`could not build ${file} (needs /usr/bin/python3 with torch, torchvision, onnx)`);
  }
  return file;
}

export function optimized(file: string, pipeline = 'simplify'): Model {
  const model = loadModel(file);
  runPipeline(model, pipeline, { evaluator: cpuEvaluator, log: () => {} });
  return model;
}

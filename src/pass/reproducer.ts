import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Model } from '../ir/model.js';
import { decodeModel } from '../onnx/import.js';
import { encodeModel } from '../onnx/export.js';
import { saveModel, writeFileAtomic } from '../onnx/save.js';

/** How to get the pipeline's input model back after passes have changed it in place. */
export type ModelSource = () => Model;

/** A copy of the model as it is now (encoded once, decoded on demand); undefined if it cannot be encoded. */
export function snapshotSource(model: Model): ModelSource | undefined {
  try {
    const bytes = encodeModel(model).bytes;
    return () => decodeModel(bytes);
  } catch {
    return undefined;
  }
}

export interface Reproducer {
  dir: string;
  model: string;
  pipeline: string;
  /** The command that reruns the failing pass on the saved IR. */
  command: string;
}

/**
 * Save the IR a pass failed on and the one-step pipeline that fails on it. `before` is that IR,
 * rebuilt by replaying the steps that ran before the failing one (passes are deterministic).
 */
export function writeReproducer(before: Model, failingStep: string, dir?: string): Reproducer {
  const folder = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'shears-repro-'));
  fs.mkdirSync(folder, { recursive: true });
  const model = path.join(folder, 'before.onnx');
  const pipeline = path.join(folder, 'pipeline.txt');
  saveModel(before, model);
  writeFileAtomic(pipeline, [new TextEncoder().encode(failingStep + '\n')]);
  const command = `shears optimize ${model} -o ${path.join(folder, 'after.onnx')} --passes '${failingStep}'`;
  return { dir: folder, model, pipeline, command };
}

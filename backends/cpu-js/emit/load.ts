/**
 * The runtime side of an emitted module: rebuilds the graph from its JSON and weights and runs it
 * on cpu-js. Emitted modules import this file from the runtime folder copied beside them.
 */
import type { Feeds } from '../../../src/backend/backend.js';
import type { RuntimeValue } from '../../../src/backend/value.js';
import { ShearsError } from '../../../src/error.js';
import { DType } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { compileGraph } from '../compile.js';
import { jsonReviver, ModelJson, modelFromJson } from './graph-json.js';

export { DType, Tensor };

/** A tensor as a caller may give it: the shears Tensor, or plain dims and a typed array of the input's dtype. */
export type TensorLike = Tensor | { dims: readonly number[]; data: ArrayLike<unknown> & object; dtype?: DType };

export interface LoadedModel {
  run(inputs: Record<string, TensorLike | Tensor[] | null>): Promise<Record<string, RuntimeValue>>;
}

async function readWeights(url: URL): Promise<Uint8Array> {
  if (url.protocol === 'file:') {
    const fs = await import('node:fs/promises');
    return new Uint8Array(await fs.readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new ShearsError('E_IO', `cannot fetch weights ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** `graphText` is the module's JSON; `weights` the weights file's bytes or where to read them. */
export async function instantiate(graphText: string, weights: Uint8Array | ArrayBuffer | URL): Promise<LoadedModel> {
  const bytes = weights instanceof URL ? await readWeights(weights) : weights instanceof Uint8Array ? weights : new Uint8Array(weights);
  const model = modelFromJson(JSON.parse(graphText, jsonReviver) as ModelJson, bytes);
  const exe = compileGraph(model.graph);
  const declared = new Map(model.graph.inputs.map((v) => [v.name, v.type]));
  return {
    run(inputs) {
      const feeds: Feeds = {};
      for (const [name, v] of Object.entries(inputs)) {
        if (v === null || v instanceof Tensor || Array.isArray(v)) feeds[name] = v;
        else {
          const type = declared.get(name);
          const dtype = v.dtype ?? (type?.kind === 'tensor' ? type.dtype : DType.FLOAT);
          feeds[name] = new Tensor(dtype, [...v.dims], v.data as Float32Array, name);
        }
      }
      return exe.run(feeds);
    },
  };
}

/**
 * The runtime of a dynamic module (one whose shapes are not all fixed): rebuilds the graph from its
 * JSON and weights and runs it on the cpu-js executor, which plans per input shape as `shears run`
 * does. Part of the emitted runtime: no Node-only imports.
 */
import type { Feeds, MemoryMode } from '../../../src/backend/backend.js';
import { compileGraph } from '../compile.js';
import { bindFeeds, plainValue, PlainValue, ValueSpec } from './feeds.js';
import { jsonReviver, ModelJson, modelFromJson } from './graph-json.js';

export { readWeights } from './read-weights.js';

/** `forward(feeds)` for the graph in `graphText` (the module's JSON) over `weights` (the weights file's bytes). */
export function instantiate(graphText: string, weights: Uint8Array, inputs: readonly ValueSpec[], memory: MemoryMode = 'fast'): (feeds: Record<string, unknown>) => Record<string, PlainValue> {
  const model = modelFromJson(JSON.parse(graphText, jsonReviver) as ModelJson, weights);
  const exe = compileGraph(model.graph, { memory });
  return (feeds) => {
    const values = bindFeeds(feeds, inputs, true);
    const named: Feeds = {};
    inputs.forEach((spec, i) => {
      if (values[i] !== null) named[spec.name] = values[i];
    });
    const results: Record<string, PlainValue> = {};
    for (const [name, v] of Object.entries(exe.runSync(named))) results[name] = plainValue(v);
    return results;
  };
}

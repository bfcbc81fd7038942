/**
 * How CLI commands run a model to measure it: through the cpu-js back end (never a third-party
 * runtime). Commands take a `ModelRunner`, so that tests can check the measuring code against a
 * reference runtime.
 */
import { getBackend } from '../backend/registry.js';
import { quoted, ShearsError } from '../error.js';
import type { Model } from '../ir/model.js';
import type { Tensor } from '../ir/tensor.js';
import '../backends.js';

export interface RunResult {
  outputs: Record<string, Tensor>;
  /** Median wall time of the timed runs (after a first, untimed one), in ms; null when none were asked for. */
  latencyMs: number | null;
}

export type ModelRunner = (model: Model, inputs: Readonly<Record<string, Tensor>>, timedRuns?: number) => Promise<RunResult>;

export const cpuJsRunner: ModelRunner = async (model, inputs, timedRuns = 0) => {
  const executable = getBackend('cpu-js').compile(model);
  try {
    const outputs = await executable.run({ ...inputs });
    const tensors: Record<string, Tensor> = {};
    for (const [name, value] of Object.entries(outputs)) {
      if (value === null || Array.isArray(value)) throw new ShearsError('E_UNSUPPORTED_OP', `output ${quoted(name)} is not a tensor; shears measures tensor outputs only`, { tensor: name });
      tensors[name] = value;
    }
    const times: number[] = [];
    for (let i = 0; i < timedRuns; i++) {
      const start = performance.now();
      await executable.run({ ...inputs });
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return { outputs: tensors, latencyMs: times.length ? times[times.length >> 1] : null };
  } finally {
    executable.dispose();
  }
};

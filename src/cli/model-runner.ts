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

export type ModelRunner = (model: Model, inputs: Readonly<Record<string, Tensor>>) => Promise<Record<string, Tensor>>;

export const cpuJsRunner: ModelRunner = async (model, inputs) => {
  const executable = getBackend('cpu-js').compile(model);
  try {
    const outputs = await executable.run({ ...inputs });
    const tensors: Record<string, Tensor> = {};
    for (const [name, value] of Object.entries(outputs)) {
      if (value === null || Array.isArray(value)) throw new ShearsError('E_UNSUPPORTED_OP', `output ${quoted(name)} is not a tensor; shears measures tensor outputs only`, { tensor: name });
      tensors[name] = value;
    }
    return tensors;
  } finally {
    executable.dispose();
  }
};

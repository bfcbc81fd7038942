/** Conveniences of the library API that put the pieces together the way the CLI does. */
import './backends.js';
import { cpuEvaluator } from '../backends/cpu-js/evaluator.js';
import type { CompileOptions, Executable } from './backend/backend.js';
import { getBackend } from './backend/registry.js';
import type { Graph } from './ir/graph.js';
import type { Model } from './ir/model.js';
import { PassManagerOptions, PipelineReport, runPipeline } from './pass/manager.js';

/** Compile a model for a back end (default `cpu-js`): `(await compile(model).run({ input })).output`. */
export function compile(model: Model | Graph, options: CompileOptions & { backend?: string } = {}): Executable {
  return getBackend(options.backend ?? 'cpu-js').compile(model, options);
}

/** Run a pass pipeline (default `simplify`) in place, with cpu-js as the constant folder's evaluator. */
export function optimize(model: Model, pipeline = 'simplify', options: PassManagerOptions = {}): PipelineReport {
  return runPipeline(model, pipeline, { evaluator: cpuEvaluator, ...options });
}

/** A way to prune that `shears prune` offers: its options, and the pipeline steps they ask for. */
import type { PipelineStep } from '../pass/pipeline.js';
import type { OptionSpec, ParsedArgs } from './args.js';

export interface PruneMethod {
  /** e.g. `--sparsity S` — shown when no method is asked for. */
  usage: string;
  options: OptionSpec[];
  /** The steps these arguments ask for, or null when they do not ask for this method. */
  plan(args: ParsedArgs): PlannedPrune | null;
}

export interface PlannedPrune {
  steps: PipelineStep[];
  /** Text for the report, once the steps have run (e.g. a per-layer table). */
  describe(): string;
  /** The same facts for `--json`. */
  json(): unknown;
}

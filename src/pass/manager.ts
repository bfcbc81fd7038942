import type { Evaluator } from '../backend/evaluator.js';
import { ShearsError } from '../error.js';
import type { Model } from '../ir/model.js';
import { printModel } from '../ir/print.js';
import { assertValid, verifyModel } from '../ir/verify.js';
import type { AnyPass, OptionValue, PassContext, PassResult } from './pass.js';
import { formatStep, parsePipeline, PassRegistry, PipelineStep, validNames } from './pipeline.js';
import { defaultRegistry } from './registry.js';
import { ModelSource, snapshotSource, writeReproducer } from './reproducer.js';
import { formatTimings } from './timing.js';

export interface PassManagerOptions {
  registry?: PassRegistry;
  evaluator?: Evaluator;
  /** Run the verifier on the input and after every pass (default true). */
  verifyEach?: boolean;
  /** Pass names (or 'all') after which the IR is printed. */
  printIrAfter?: readonly string[];
  /** Print the IR after every pass run that changed something. */
  printIrAfterChange?: boolean;
  /** Print a table of wall time and changes per pass at the end. */
  timePasses?: boolean;
  /** Pass names to skip wherever they appear in the pipeline. */
  disable?: readonly string[];
  /**
   * Where to write a reproducer when a pass throws or leaves an invalid IR: `dir` (default: a new
   * temporary folder) and `source`, which gives the input model again (default: a copy encoded
   * before the first pass). `false` turns reproducers off.
   */
  reproducer?: { dir?: string; source?: ModelSource } | false;
  /** Where IR dumps and the timing table go (default: stderr). */
  log?: (text: string) => void;
}

export interface PassRun {
  /** The step as pipeline text, e.g. `fold-batchnorm{into=conv}`. */
  step: string;
  pass: string;
  ms: number;
  changed: boolean;
  stats: Record<string, number>;
  notes: string[];
}

export interface PipelineReport {
  pipeline: string;
  runs: PassRun[];
  ms: number;
  changed: boolean;
  /** Remarks about the run as a whole (a fixed-point group that did not converge). */
  notes: string[];
}

interface Executed {
  pass: AnyPass;
  options: Readonly<Record<string, OptionValue>>;
}

/** Run a pipeline (text or parsed) over the model in place. */
export function runPipeline(model: Model, pipeline: string | readonly PipelineStep[], options: PassManagerOptions = {}): PipelineReport {
  const registry = options.registry ?? defaultRegistry;
  const steps = typeof pipeline === 'string' ? parsePipeline(pipeline, registry) : pipeline;
  return new PassManager(registry, options).run(model, steps);
}

class PassManager {
  private readonly log: (text: string) => void;
  private readonly verifyEach: boolean;
  private readonly printAfter: ReadonlySet<string>;
  private readonly disabled: ReadonlySet<string>;
  private readonly runs: PassRun[] = [];
  private readonly notes: string[] = [];
  private readonly history: Executed[] = [];
  private source: ModelSource | undefined;

  constructor(
    private readonly registry: PassRegistry,
    private readonly options: PassManagerOptions,
  ) {
    this.log = options.log ?? ((text) => process.stderr.write(text));
    this.verifyEach = options.verifyEach ?? true;
    this.printAfter = this.passNames(options.printIrAfter ?? [], '--print-ir-after', true);
    this.disabled = this.passNames(options.disable ?? [], '--disable-pass', false);
  }

  run(model: Model, steps: readonly PipelineStep[]): PipelineReport {
    if (this.verifyEach) assertValid(model, 'the input model');
    if (this.options.reproducer !== false) this.source = this.options.reproducer?.source ?? snapshotSource(model);
    const start = performance.now();
    const changed = this.steps(model, steps);
    const ms = performance.now() - start;
    if (this.options.timePasses) this.log(formatTimings(this.runs, ms));
    return { pipeline: steps.map(formatStep).join(','), runs: this.runs, ms, changed, notes: this.notes };
  }

  private steps(model: Model, steps: readonly PipelineStep[]): boolean {
    let changed = false;
    for (const step of steps) {
      if (step.kind === 'pass') {
        if (!this.disabled.has(step.pass.name)) changed = this.pass(model, step.pass, step.options) || changed;
        continue;
      }
      let converged = false;
      for (let i = 0; i < step.maxIterations && !converged; i++) {
        converged = !this.steps(model, step.steps);
        changed ||= !converged;
      }
      if (!converged) this.notes.push(`${formatStep(step)} still changed the model after ${step.maxIterations} rounds; stopped there`);
    }
    return changed;
  }

  private pass(model: Model, pass: AnyPass, options: Readonly<Record<string, OptionValue>>): boolean {
    const step = formatStep({ kind: 'pass', pass, options });
    const notes: string[] = [];
    const ctx: PassContext = {
      evaluator: this.options.evaluator,
      note: (message) => {
        if (!notes.includes(message)) notes.push(message);
      },
    };
    const start = performance.now();
    let result: PassResult;
    try {
      result = pass.run(model, options, ctx);
    } catch (e) {
      throw this.failure(step, e instanceof Error ? e.message : String(e), e);
    }
    const ms = performance.now() - start;
    if (this.verifyEach) {
      const problems = verifyModel(model);
      if (problems.length) throw this.failure(step, `left an invalid graph: ${problems.slice(0, 5).join('; ')}`);
    }
    this.history.push({ pass, options });
    this.runs.push({ step, pass: pass.name, ms, changed: result.changed, stats: result.stats, notes });
    if (this.printAfter.has('all') || this.printAfter.has(pass.name) || (this.options.printIrAfterChange && result.changed)) {
      this.log(`// ----- IR after ${step}${result.changed ? '' : ' (unchanged)'} -----\n${printModel(model)}`);
    }
    return result.changed;
  }

  /**
   * The error to raise for a failing pass. A ShearsError is the input's fault (a bad option value, a
   * masks file that does not fit) and passes through; anything else is a bug in the pass, and gets
   * a reproducer (the IR before it, and the step).
   */
  private failure(step: string, message: string, cause?: unknown): Error {
    if (cause instanceof ShearsError) return new ShearsError(cause.code, `pass '${step}': ${message}`, cause.subject, { cause });
    let where = '';
    try {
      if (this.source) {
        const before = this.replay(this.source());
        const r = writeReproducer(before, step, this.options.reproducer ? this.options.reproducer.dir : undefined);
        where = `\nreproducer: ${r.model} (pipeline in ${r.pipeline}); rerun with:\n  ${r.command}`;
      }
    } catch (e) {
      where = `\n(could not write a reproducer: ${(e as Error).message})`;
    }
    return new PassFailure(`pass '${step}' failed: ${message}${where}`, { cause });
  }

  private replay(model: Model): Model {
    const ctx: PassContext = { evaluator: this.options.evaluator, note: () => {} };
    for (const { pass, options } of this.history) pass.run(model, options, ctx);
    return model;
  }

  private passNames(names: readonly string[], flag: string, allowAll: boolean): Set<string> {
    for (const name of names) {
      if (allowAll && name === 'all') continue;
      if (!this.registry.passes.has(name)) throw new ShearsError('E_PIPELINE', `${flag}: unknown pass '${name}'; ${validNames(this.registry)}`);
    }
    return new Set(names);
  }
}

/** A pass threw something that is not a ShearsError, or broke the IR: a bug in that pass. */
export class PassFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PassFailure';
  }
}

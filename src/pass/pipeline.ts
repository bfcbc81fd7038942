import { ShearsError } from '../error.js';
import { formatOptions, parseOptions } from './options.js';
import type { AnyPass, NamedPipeline, OptionValue } from './pass.js';

/**
 * Pipeline text, as in MLIR:
 *
 *   pipeline := step (',' step)*
 *   step     := 'fixpoint' options? '(' pipeline ')'  |  NAME options?
 *   options  := '{' (KEY '=' VALUE (',' KEY '=' VALUE)*)? '}'
 *
 * e.g. `dce,fold-constants,fold-batchnorm{into=conv},fixpoint(cse,dce)`. A NAME is a pass or a
 * named pipeline (which expands in place). `fixpoint` takes `max-iterations`.
 */
export type PipelineStep =
  | { kind: 'pass'; pass: AnyPass; options: Readonly<Record<string, OptionValue>> }
  | { kind: 'fixpoint'; steps: PipelineStep[]; maxIterations: number };

export interface PassRegistry {
  passes: ReadonlyMap<string, AnyPass>;
  pipelines: ReadonlyMap<string, NamedPipeline>;
}

export const FIXPOINT_OPTIONS = {
  'max-iterations': { type: 'int', default: 10, min: 1, max: 1000, doc: 'stop after this many rounds even if something still changes' },
} as const;

export function parsePipeline(text: string, registry: PassRegistry): PipelineStep[] {
  return new Parser(text, registry, []).pipelineAll();
}

/** The canonical text of steps: options that differ from their defaults only. */
export function formatPipeline(steps: readonly PipelineStep[]): string {
  return steps.map(formatStep).join(',');
}

export function formatStep(step: PipelineStep): string {
  if (step.kind === 'pass') return step.pass.name + formatOptions(step.pass.options, step.options);
  const opts = formatOptions(FIXPOINT_OPTIONS, { 'max-iterations': step.maxIterations });
  return `fixpoint${opts}(${formatPipeline(step.steps)})`;
}

/** Every registered pass and pipeline name, for error messages. */
export function validNames(registry: PassRegistry): string {
  const pipelines = [...registry.pipelines.keys()].sort();
  return `passes: ${[...registry.passes.keys()].sort().join(', ')}${pipelines.length ? `; pipelines: ${pipelines.join(', ')}` : ''}; groups: fixpoint(...)`;
}

class Parser {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly registry: PassRegistry,
    /** Named pipelines being expanded, to refuse one that includes itself. */
    private readonly expanding: readonly string[],
  ) {}

  pipelineAll(): PipelineStep[] {
    const steps = this.pipeline();
    this.space();
    if (this.at < this.text.length) this.fail(`expected ',' or the end of the pipeline, found '${this.text[this.at]}'`);
    return steps;
  }

  private pipeline(): PipelineStep[] {
    const steps = [...this.step()];
    for (this.space(); this.peek(','); this.space()) {
      this.at++;
      steps.push(...this.step());
    }
    return steps;
  }

  private step(): PipelineStep[] {
    this.space();
    const start = this.at;
    const name = this.name();
    if (!name) this.fail(this.at < this.text.length ? `expected a pass name, found '${this.text[this.at]}'` : 'expected a pass name, found the end of the pipeline');
    const given = this.options();
    if (name === 'fixpoint') {
      const options = parseOptions('fixpoint', FIXPOINT_OPTIONS, given);
      this.space();
      this.expect('(');
      const steps = this.pipeline();
      this.space();
      this.expect(')');
      return [{ kind: 'fixpoint', steps, maxIterations: options['max-iterations'] as number }];
    }
    const pass = this.registry.passes.get(name);
    if (pass) return [{ kind: 'pass', pass, options: parseOptions(name, pass.options, given) }];
    const named = this.registry.pipelines.get(name);
    if (!named) this.fail(`unknown pass '${name}'; ${validNames(this.registry)}`, start);
    if (given.size) this.fail(`pipeline '${name}' takes no options`, start);
    if (this.expanding.includes(name)) this.fail(`pipeline '${name}' includes itself`, start);
    return new Parser(named.pipeline, this.registry, [...this.expanding, name]).pipelineAll();
  }

  private options(): Map<string, string> {
    const given = new Map<string, string>();
    this.space();
    if (!this.peek('{')) return given;
    this.at++;
    this.space();
    if (this.peek('}')) {
      this.at++;
      return given;
    }
    for (;;) {
      this.space();
      const key = this.name();
      if (!key) this.fail('expected an option name');
      this.space();
      this.expect('=');
      const start = this.at;
      while (this.at < this.text.length && !',}'.includes(this.text[this.at])) this.at++;
      const value = this.text.slice(start, this.at).trim();
      if (given.has(key)) this.fail(`option '${key}' is given twice`, start);
      given.set(key, value);
      if (this.peek('}')) break;
      this.expect(',');
    }
    this.at++;
    return given;
  }

  private name(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(this.text.slice(this.at));
    if (!m) return '';
    this.at += m[0].length;
    return m[0];
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }

  private peek(c: string): boolean {
    return this.text[this.at] === c;
  }

  private expect(c: string): void {
    if (!this.peek(c)) this.fail(`expected '${c}', found ${this.at < this.text.length ? `'${this.text[this.at]}'` : 'the end of the pipeline'}`);
    this.at++;
  }

  private fail(message: string, at = this.at): never {
    const where = this.expanding.length ? ` (in pipeline '${this.expanding[this.expanding.length - 1]}')` : '';
    throw new ShearsError('E_PIPELINE', `pipeline "${this.text}" at column ${at + 1}${where}: ${message}`);
  }
}

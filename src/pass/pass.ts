import type { Evaluator } from '../backend/evaluator.js';
import type { Model } from '../ir/model.js';

/** A typed pass option: its type, default and one line of documentation (shown by `shears passes`). */
export type OptionSpec =
  | { type: 'int'; default: number; min?: number; max?: number; doc: string }
  | { type: 'number'; default: number; min?: number; max?: number; doc: string }
  | { type: 'boolean'; default: boolean; doc: string }
  | { type: 'string'; default: string; doc: string }
  | { type: 'enum'; values: readonly string[]; default: string; doc: string };

export type OptionsSchema = Record<string, OptionSpec>;
export type OptionValue = number | boolean | string;

/** The option values a pass's `run` receives: every option present, typed after its schema. */
export type OptionValues<S extends OptionsSchema> = {
  readonly [K in keyof S]: S[K] extends { type: 'boolean' } ? boolean : S[K] extends { type: 'int' | 'number' } ? number : string;
};

/** What a pass may ask of its surroundings. Back ends are reached only through here, never imported. */
export interface PassContext {
  /** Computes single nodes on constant inputs (the CLI and tests inject cpu-js's); absent: passes that need it do nothing. */
  readonly evaluator?: Evaluator;
  /** A remark for the user about this run (why something was not done); printed once per pass run. */
  note(message: string): void;
}

export interface PassResult {
  changed: boolean;
  /** Counters named in the pass's `statistics`; only those that are non-zero need appear. */
  stats: Record<string, number>;
}

/**
 * A pass, declared MLIR-style: name, one-line summary, a long description with a before/after
 * example, typed options and the statistics it reports. One file under `passes/`, one registry line.
 * `run` must be deterministic and must leave nodes it does not understand (unknown ops, unknown
 * domains) untouched rather than throw.
 */
export interface Pass<S extends OptionsSchema = OptionsSchema> {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly options: S;
  /** Statistic name → what it counts. */
  readonly statistics: Readonly<Record<string, string>>;
  run(model: Model, options: OptionValues<S>, ctx: PassContext): PassResult;
}

/** A pass with its option types erased, as the registry and the manager hold it. */
export interface AnyPass extends Omit<Pass, 'run'> {
  run(model: Model, options: Readonly<Record<string, OptionValue>>, ctx: PassContext): PassResult;
}

/** Declare a pass; keeps the option types for `run` and erases them for the registry. */
export function definePass<S extends OptionsSchema>(pass: Pass<S>): AnyPass {
  return pass as unknown as AnyPass;
}

/** A pipeline given a name (e.g. `simplify`), usable wherever a pass name is. */
export interface NamedPipeline {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly pipeline: string;
}

/** Counts changes under the pass's statistic names; `changed` is true once anything was counted. */
export class Stats {
  private readonly counts: Record<string, number> = {};

  add(name: string, n = 1): void {
    if (n !== 0) this.counts[name] = (this.counts[name] ?? 0) + n;
  }

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  result(): PassResult {
    return { changed: this.total > 0, stats: { ...this.counts } };
  }
}

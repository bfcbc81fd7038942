import type { Graph } from '../ir/graph.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import { ShearsError } from '../error.js';
import type { RuntimeValue } from './value.js';

export type Feeds = Record<string, RuntimeValue>;

/**
 * How kernels treat constant weights. 'fast' (the default): they may keep transformed or packed
 * copies made at compile time (Winograd filters, GEMM panels, sparse rows), which can double the
 * memory weights take. 'lean': they read the weights where the model holds them and keep no copies,
 * so memory stays near the weights plus the activation arena, at some cost in speed (in node, given
 * LEAN_NODE_FLAGS).
 */
export type MemoryMode = 'fast' | 'lean';

export const MEMORY_MODES: readonly MemoryMode[] = ['fast', 'lean'];

/** E_USAGE unless `mode` (from CompileOptions or EmitOptions, possibly untyped callers) is a MemoryMode. */
export function checkMemoryMode(mode: string | undefined): void {
  if (mode !== undefined && !(MEMORY_MODES as readonly string[]).includes(mode)) throw new ShearsError('E_USAGE', `memory mode '${mode}' is not one of ${MEMORY_MODES.join(', ')}`);
}

export interface CompileOptions {
  /** Keep at most this many plans (one per distinct set of input shapes); default 8. */
  maxPlans?: number;
  /**
   * Threads that share large kernels (the calling one included): 1 (the default) runs on the
   * calling thread alone, 0 uses one per core. Back ends without threads ignore it.
   */
  threads?: number;
  /** Default 'fast'; see MemoryMode. Back ends that keep no weight copies ignore it. */
  memory?: MemoryMode;
}

export interface PlanStats {
  /** Bytes of the shared activation arena: the most intermediate memory alive at once, as planned. */
  peakActivationBytes: number;
  /** Bytes all planned intermediates would take if each had its own buffer. */
  sumIntermediateBytes: number;
  /** Intermediates placed in the arena, and those left to their own allocations (graph outputs, strings, sequences). */
  plannedValues: number;
  unplannedValues: number;
  kernelCalls: number;
}

export interface Executable {
  /** Feeds by graph input name; outputs by graph output name, in graph output order. */
  run(inputs: Feeds): Promise<Feeds>;
  /**
   * Buffer-plan statistics for the most recent run's input shapes (as recorded by running), or,
   * before any run, the plan made at compile time from inferred shapes; null when there is neither.
   */
  stats(): PlanStats | null;
  dispose(): void;
}

export interface EmittedFile {
  path: string;
  contents: string | Uint8Array;
}

export interface EmitOptions {
  /** Base name for the emitted files. */
  name?: string;
  /** How the emitted module's kernels treat constant weights (default 'fast'), as CompileOptions.memory. */
  memory?: MemoryMode;
  /** Told what the back end chose that a user should know (e.g. a static plan, or why not). */
  note?: (message: string) => void;
}

export interface Backend {
  name: string;
  /** true, or why the node cannot run on this back end. */
  supports(node: Node): true | string;
  /** Checks every node first and throws E_UNSUPPORTED_OP listing all unsupported ops. */
  compile(model: Model | Graph, options?: CompileOptions): Executable;
  emit?(model: Model, options?: EmitOptions): EmittedFile[];
}

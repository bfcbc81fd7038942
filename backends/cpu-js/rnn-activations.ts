/**
 * The activation functions recurrent ops name in their `activations` attribute. Functions that
 * take alpha/beta consume the next values of activation_alpha/activation_beta in order, falling
 * back to the ONNX defaults when the lists run out (as onnxruntime does).
 */
import { ShearsError } from '../../src/error.js';
import { describe } from '../../src/ir/node.js';
import type { Node } from '../../src/ir/node.js';

export type Activation = (x: number) => number;

interface ActivationSpec {
  /** Defaults for alpha and beta; absent when the function takes none. */
  alpha?: number;
  beta?: number;
  make(alpha: number, beta: number): Activation;
}

const SPECS: Record<string, ActivationSpec> = {
  relu: { make: () => (x) => (x > 0 ? x : 0) },
  tanh: { make: () => Math.tanh },
  sigmoid: { make: () => (x) => 1 / (1 + Math.exp(-x)) },
  affine: { alpha: 1, beta: 0, make: (a, b) => (x) => a * x + b },
  leakyrelu: { alpha: 0.01, make: (a) => (x) => (x < 0 ? a * x : x) },
  thresholdedrelu: { alpha: 1, make: (a) => (x) => (x > a ? x : 0) },
  scaledtanh: { alpha: 1, beta: 1, make: (a, b) => (x) => a * Math.tanh(b * x) },
  hardsigmoid: { alpha: 0.2, beta: 0.5, make: (a, b) => (x) => Math.max(0, Math.min(1, a * x + b)) },
  elu: { alpha: 1, make: (a) => (x) => (x < 0 ? a * (Math.exp(x) - 1) : x) },
  softsign: { make: () => (x) => x / (1 + Math.abs(x)) },
  softplus: { make: () => (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))) },
};

/** Names the node lists, or the op's defaults repeated per direction. */
function names(node: Node, defaults: readonly string[], directions: number): string[] {
  const a = node.attr('activations');
  if (a?.type === 'strings' && a.value.length > 0) return a.value;
  return Array.from({ length: directions }, () => defaults).flat();
}

export function activationsSupported(node: Node, defaults: readonly string[], directions: number): true | string {
  const list = names(node, defaults, directions);
  const unknown = list.find((n) => !(n.toLowerCase() in SPECS));
  if (unknown !== undefined) return `activation '${unknown}' is not supported`;
  return list.length === defaults.length * directions ? true : `expected ${defaults.length * directions} activations, got ${list.length}`;
}

/** The functions for every direction, `defaults.length` per direction, in order. */
export function readActivations(node: Node, defaults: readonly string[], directions: number): Activation[] {
  const ok = activationsSupported(node, defaults, directions);
  if (ok !== true) throw new ShearsError('E_UNSUPPORTED_OP', `${describe(node)}: ${ok}`, { node: node.name });
  const alphas = node.getFloats('activation_alpha') ?? [];
  const betas = node.getFloats('activation_beta') ?? [];
  let ai = 0;
  let bi = 0;
  return names(node, defaults, directions).map((name) => {
    const spec = SPECS[name.toLowerCase()];
    const alpha = spec.alpha === undefined ? 0 : (alphas[ai++] ?? spec.alpha);
    const beta = spec.beta === undefined ? 0 : (betas[bi++] ?? spec.beta);
    return spec.make(alpha, beta);
  });
}

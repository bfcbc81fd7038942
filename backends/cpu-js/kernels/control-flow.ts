/**
 * If, Loop and Scan run their bodies with the executor, recursively; a body reads the enclosing
 * graphs' values through the run context's scope.
 */
import type { RuntimeValue } from '../../../src/backend/value.js';
import { ShearsError } from '../../../src/error.js';
import { DType } from '../../../src/ir/dtype.js';
import type { Graph } from '../../../src/ir/graph.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { normalizeAxis } from '../axes.js';
import { registerKernel } from '../kernel.js';
import { sliceAt, stack } from '../stack.js';
import { optionalTensor, tensorInput } from '../tensors.js';

function body(node: Node, name: string): Graph {
  const a = node.attr(name);
  if (a?.type !== 'graph') throw new ShearsError('E_MODEL_INVALID', `${describe(node)} has no '${name}' graph`, { node: node.name });
  return a.value;
}

function truthy(t: Tensor): boolean {
  return Boolean(t.data[0]);
}

/** The declared element type of a body output, for stacking zero iterations. */
function declared(g: Graph, i: number): { dtype: DType; dims: number[] } {
  const t = g.outputs[i]?.type;
  const dims = t?.kind === 'tensor' && t.shape ? t.shape.map((d) => (typeof d === 'number' ? d : 0)) : [];
  return { dtype: t?.kind === 'tensor' ? t.dtype : DType.FLOAT, dims };
}

interface ScanSpec {
  numStates: number;
  numScanOutputs: number;
  inAxes: number[];
  inDirections: number[];
  outAxes: number[];
  outDirections: number[];
  /** Element type of scan output k, for a scan of length 0. */
  declared(k: number): { dtype: DType; dims: number[] };
}

/** Runs a scan body over its scan inputs; returns the final states, then the stacked scan outputs. */
function runScan(node: Node, run: (args: RuntimeValue[]) => RuntimeValue[], spec: ScanSpec, initial: RuntimeValue[], scanInputs: Tensor[]): RuntimeValue[] {
  const axes = scanInputs.map((t, k) => normalizeAxis(node, spec.inAxes[k] ?? 0, t.dims.length));
  const length = scanInputs.length ? scanInputs[0].dims[axes[0]] : 0;
  let state = initial;
  const scanned: Tensor[][] = Array.from({ length: spec.numScanOutputs }, () => []);
  for (let i = 0; i < length; i++) {
    const slices = scanInputs.map((t, k) => sliceAt(t, axes[k], spec.inDirections[k] ? length - 1 - i : i));
    const outs = run([...state, ...slices]);
    state = outs.slice(0, spec.numStates);
    outs.slice(spec.numStates).forEach((v, k) => scanned[k].push(v as Tensor));
  }
  const outputs = scanned.map((parts, k) => {
    const ordered = spec.outDirections[k] ? [...parts].reverse() : parts;
    const rank = (ordered[0]?.dims.length ?? 0) + 1;
    return stack(ordered, normalizeAxis(node, spec.outAxes[k] ?? 0, rank), spec.declared(k));
  });
  return [...state, ...outputs];
}

registerKernel(
  {
    op: 'If',
    widenHalf: false,
    create(ctx) {
      const { node } = ctx;
      const then = ctx.subgraph(body(node, 'then_branch'));
      const otherwise = ctx.subgraph(body(node, 'else_branch'));
      return (inputs, rc) => (truthy(tensorInput(node, inputs, 0)) ? then : otherwise).run([], rc.scope);
    },
  },
  {
    op: 'Loop',
    widenHalf: false,
    create(ctx) {
      const { node } = ctx;
      const graph = body(node, 'body');
      const runner = ctx.subgraph(graph);
      const carried = node.inputs.length - 2;
      const scans = graph.outputs.length - 1 - carried;
      return (inputs, rc) => {
        const tripTensor = optionalTensor(inputs, 0);
        const condTensor = optionalTensor(inputs, 1);
        const trips = tripTensor ? Number(tripTensor.data[0]) : Infinity;
        let cond = condTensor ? truthy(condTensor) : true;
        let state: RuntimeValue[] = inputs.slice(2);
        const scanned: Tensor[][] = Array.from({ length: scans }, () => []);
        for (let i = 0; i < trips && cond; i++) {
          const iteration = new Tensor(DType.INT64, [], BigInt64Array.of(BigInt(i)));
          const condition = new Tensor(DType.BOOL, [], Uint8Array.of(1));
          const outs = runner.run([iteration, condition, ...state], rc.scope);
          cond = truthy(outs[0] as Tensor);
          state = outs.slice(1, 1 + carried);
          outs.slice(1 + carried).forEach((v, k) => scanned[k].push(v as Tensor));
        }
        return [...state, ...scanned.map((parts, k) => stack(parts, 0, declared(graph, 1 + carried + k)))];
      };
    },
  },
  {
    op: 'Scan',
    since: 9,
    widenHalf: false,
    create(ctx) {
      const { node } = ctx;
      const graph = body(node, 'body');
      const runner = ctx.subgraph(graph);
      const numScanInputs = node.getInt('num_scan_inputs', 0);
      const numStates = node.inputs.length - numScanInputs;
      const spec: ScanSpec = {
        numStates,
        numScanOutputs: graph.outputs.length - numStates,
        inAxes: node.getInts('scan_input_axes', []),
        inDirections: node.getInts('scan_input_directions', []),
        outAxes: node.getInts('scan_output_axes', []),
        outDirections: node.getInts('scan_output_directions', []),
        declared: (k) => declared(graph, numStates + k),
      };
      return (inputs, rc) => runScan(node, (args) => runner.run(args, rc.scope), spec, inputs.slice(0, numStates), inputs.slice(numStates).map((_, k) => tensorInput(node, inputs, numStates + k)));
    },
  },
  {
    // Opset 8: a leading batch dim on every input and output, scanned along dim 1, one batch entry at a time.
    op: 'Scan',
    since: 8,
    widenHalf: false,
    create(ctx) {
      const { node } = ctx;
      const graph = body(node, 'body');
      const runner = ctx.subgraph(graph);
      const numScanInputs = node.getInt('num_scan_inputs', 0);
      const numStates = node.inputs.length - 1 - numScanInputs;
      const spec: ScanSpec = { numStates, numScanOutputs: graph.outputs.length - numStates, inAxes: [], inDirections: node.getInts('directions', []), outAxes: [], outDirections: [], declared: (k) => declared(graph, numStates + k) };
      return (inputs, rc) => {
        const lengths = optionalTensor(inputs, 0);
        const values = inputs.slice(1).map((_, k) => tensorInput(node, inputs, 1 + k));
        const batch = values[0]?.dims[0] ?? 0;
        if (batch === 0) throw new ShearsError('E_SHAPE', `${describe(node)}: opset-8 Scan needs a batch of at least one`, { node: node.name });
        const steps = values[numStates]?.dims[1];
        if (lengths && Array.from(lengths.data, Number).some((n) => n !== steps)) {
          throw new ShearsError('E_UNSUPPORTED_OP', `${describe(node)}: cpu-js runs opset-8 Scan only with every sequence_lens equal to the full length ${steps}`, { node: node.name });
        }
        const perBatch = Array.from({ length: batch }, (_, b) =>
          runScan(node, (args) => runner.run(args, rc.scope), spec, values.slice(0, numStates).map((t) => sliceAt(t, 0, b)), values.slice(numStates).map((t) => sliceAt(t, 0, b))),
        );
        return perBatch[0].map((_, k) => stack(perBatch.map((outs) => outs[k] as Tensor), 0));
      };
    },
  },
);

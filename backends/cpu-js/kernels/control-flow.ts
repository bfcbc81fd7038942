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
      const numScanOutputs = graph.outputs.length - numStates;
      const inAxes = node.getInts('scan_input_axes', []);
      const inDirections = node.getInts('scan_input_directions', []);
      const outAxes = node.getInts('scan_output_axes', []);
      const outDirections = node.getInts('scan_output_directions', []);
      return (inputs, rc) => {
        const scanInputs = inputs.slice(numStates).map((_, k) => tensorInput(node, inputs, numStates + k));
        const axes = scanInputs.map((t, k) => normalizeAxis(node, inAxes[k] ?? 0, t.dims.length));
        const length = scanInputs.length ? scanInputs[0].dims[axes[0]] : 0;
        let state = inputs.slice(0, numStates);
        const scanned: Tensor[][] = Array.from({ length: numScanOutputs }, () => []);
        for (let i = 0; i < length; i++) {
          const slices = scanInputs.map((t, k) => sliceAt(t, axes[k], inDirections[k] ? length - 1 - i : i));
          const outs = runner.run([...state, ...slices], rc.scope);
          state = outs.slice(0, numStates);
          outs.slice(numStates).forEach((v, k) => scanned[k].push(v as Tensor));
        }
        const outputs = scanned.map((parts, k) => {
          const ordered = outDirections[k] ? [...parts].reverse() : parts;
          const rank = (ordered[0]?.dims.length ?? 0) + 1;
          return stack(ordered, normalizeAxis(node, outAxes[k] ?? 0, rank), declared(graph, numStates + k));
        });
        return [...state, ...outputs];
      };
    },
  },
);

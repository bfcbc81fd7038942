/** Kernel definitions for elementwise ops from an expression per element class (see elementwise.ts). */
import { DType, dtypeName } from '../../src/ir/dtype.js';
import type { Node } from '../../src/ir/node.js';
import { broadcastDims } from './broadcast.js';
import { elementwiseLoop } from './elementwise.js';
import type { KernelDef } from './kernel.js';
import { ElementClass, elementClass, tensorInput, tensorTypeOf, unsupportedType } from './tensors.js';

export interface ElementwiseSpec {
  op: string;
  since?: number;
  /** The expression over x0, x1, … for each element class of the first input it supports. */
  expr: Partial<Record<ElementClass, string>>;
  /** The output dtype from the input dtypes; default: the first input's. */
  output?: (inputs: DType[]) => DType;
  /** Attribute values the expression names, read once at plan time. */
  params?: (node: Node) => Record<string, unknown>;
  supports?: (node: Node) => true | string;
}

export function elementwise(spec: ElementwiseSpec): KernelDef {
  return {
    op: spec.op,
    since: spec.since,
    supports: spec.supports,
    create(ctx) {
      const { node } = ctx;
      const types = ctx.inputTypes.map((t, i) => tensorTypeOf(node, t, i));
      const dtypes = types.map((t) => t.dtype);
      const expr = spec.expr[elementClass(dtypes[0])];
      if (expr === undefined) throw unsupportedType(node, dtypes[0]);
      const outType = spec.output ? spec.output(dtypes) : dtypes[0];
      const outDims = broadcastDims(node, types.map((t) => t.dims));
      const loop = elementwiseLoop(expr, types.map((t) => t.dims), outDims, [...dtypes, outType].map(dtypeName).join(','), spec.params?.(node));
      return (inputs, rc) => {
        const out = rc.output(0, outType, outDims);
        loop(out.data, inputs.map((_, i) => tensorInput(node, inputs, i).data));
        return [out];
      };
    },
  };
}

/** Same-dtype elementwise kernels for several ops that share everything but their expressions. */
export function elementwiseFamily(specs: Record<string, ElementwiseSpec['expr']>, common: Omit<ElementwiseSpec, 'op' | 'expr'> = {}): KernelDef[] {
  return Object.entries(specs).map(([op, expr]) => elementwise({ ...common, op, expr }));
}

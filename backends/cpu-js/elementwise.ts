/**
 * Generated loops for elementwise ops. An op is an expression over the input elements x0, x1, …
 * (and named attribute parameters); a loop is compiled once per expression and array types, so each
 * op runs its own monomorphic loop instead of calling a function per element. The same loop serves
 * typed arrays and the plain arrays of string tensors.
 */
import type { TensorData } from '../../src/ir/dtype.js';
import { elementCount } from '../../src/ir/tensor.js';
import { iterationSpace } from './broadcast.js';

type Arrayish = TensorData;
export type ElementwiseLoop = (out: Arrayish, inputs: readonly Arrayish[]) => void;
type CompiledLoop = (
  out: Arrayish,
  inputs: readonly Arrayish[],
  total: number,
  dims: readonly number[],
  strides: readonly (readonly number[])[],
  ...params: unknown[]
) => void;

/**
 * One compiled function per expression and array types, shared by every node that uses it: V8 keeps
 * type feedback and optimized code per function, so creating a closure per node would start each
 * node's loop cold. Attribute values are therefore arguments, not captured constants.
 */
const compiled = new Map<string, CompiledLoop>();

function loopSource(expr: string, arity: number): string {
  const ks = Array.from({ length: arity }, (_, k) => k);
  const each = (f: (k: number) => string, sep = ' '): string => ks.map(f).join(sep);
  return `
  ${each((k) => `const A${k} = inputs[${k}], S${k} = strides[${k}];`)}
  const rank = dims.length, inner = dims[rank - 1];
  ${each((k) => `const i${k} = S${k}[rank - 1];`)}
  const idx = new Int32Array(rank);
  ${each((k) => `let b${k} = 0;`)}
  for (let o = 0; o < total; o += inner) {
    for (let i = 0${each((k) => `, p${k} = b${k}`, '')}; i < inner; i++${each((k) => `, p${k} += i${k}`, '')}) {
      ${each((k) => `const x${k} = A${k}[p${k}];`)}
      out[o + i] = (${expr});
    }
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d] < dims[d]) { ${each((k) => `b${k} += S${k}[d];`)} break; }
      idx[d] = 0;
      ${each((k) => `b${k} -= S${k}[d] * (dims[d] - 1);`)}
    }
  }`;
}

/**
 * A loop computing `expr` over inputs of the given dims broadcast to `outDims`. `arrayTypes` names
 * the array constructors involved (any string that differs per combination), so that each
 * combination gets its own compiled function; `params` are values the expression can name.
 */
export function elementwiseLoop(
  expr: string,
  inputDims: readonly (readonly number[])[],
  outDims: readonly number[],
  arrayTypes: string,
  params: Record<string, unknown> = {},
): ElementwiseLoop {
  const names = Object.keys(params);
  const key = `${expr}|${inputDims.length}|${names.join(',')}|${arrayTypes}`;
  let loop = compiled.get(key);
  if (!loop) {
    const source = `// ${arrayTypes}\n${loopSource(expr, inputDims.length)}`;
    loop = new Function('out', 'inputs', 'total', 'dims', 'strides', ...names, source) as CompiledLoop;
    compiled.set(key, loop);
  }
  const fn = loop;
  const values = names.map((n) => params[n]);
  const { dims, strides } = iterationSpace(outDims, inputDims);
  const total = elementCount(outDims);
  return (out, inputs) => {
    if (total > 0) fn(out, inputs, total, dims, strides, ...values);
  };
}

/** A name for the array type holding a tensor's data, for `elementwiseLoop`'s cache key. */
export function arrayTypeName(data: TensorData): string {
  return Array.isArray(data) ? 'Array' : data.constructor.name;
}

/** JavaScript source for plain data (what JSON cannot say too: bigints, NaN, ±Infinity, -0) and tensors by reference. */
import { Tensor } from '../../../src/ir/tensor.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `ref` names the module constant holding a tensor found in the data. */
export function jsLiteral(value: unknown, ref: (t: Tensor) => string = unreferenced): string {
  if (value instanceof Tensor) return ref(value);
  if (value === null || value === undefined) return String(value);
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return String(value);
    case 'string':
      return jsString(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => jsLiteral(v, ref)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${jsKey(k)}: ${jsLiteral(v, ref)}`).join(', ')} }`;
  }
  throw new Error(`no JavaScript literal for a ${typeof value}`);
}

/** An object key: bare when it is an identifier. */
export function jsKey(k: string): string {
  return IDENTIFIER.test(k) ? k : jsString(k);
}

/** A string literal; line and paragraph separators escaped too, so any text stays on its line. */
export function jsString(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function unreferenced(t: Tensor): string {
  throw new Error(`tensor '${t.name}' has no module constant`);
}

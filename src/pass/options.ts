import { ShearsError } from '../error.js';
import type { OptionSpec, OptionsSchema, OptionValue } from './pass.js';

/** `int`, `number in [0, 1]`, `one of conv|gemm`: how an option's values are written. */
export function describeOptionType(spec: OptionSpec): string {
  switch (spec.type) {
    case 'enum':
      return `one of ${spec.values.join('|')}`;
    case 'int':
    case 'number': {
      const range = spec.min !== undefined || spec.max !== undefined ? ` in [${spec.min ?? '-inf'}, ${spec.max ?? 'inf'}]` : '';
      return `${spec.type === 'int' ? 'integer' : 'number'}${range}`;
    }
    default:
      return spec.type;
  }
}

/** One line per option: `name=<type> (default D): doc`. */
export function listOptions(schema: OptionsSchema): string[] {
  return Object.entries(schema).map(([name, spec]) => `${name}=<${describeOptionType(spec)}> (default ${String(spec.default)}): ${spec.doc}`);
}

export function defaultOptions(schema: OptionsSchema): Record<string, OptionValue> {
  return Object.fromEntries(Object.entries(schema).map(([name, spec]) => [name, spec.default]));
}

/** Typed option values from the `key=value` texts of a pipeline step; anything invalid is E_PIPELINE naming what is valid. */
export function parseOptions(passName: string, schema: OptionsSchema, given: ReadonlyMap<string, string>): Record<string, OptionValue> {
  const values = defaultOptions(schema);
  for (const [name, text] of given) {
    const spec = schema[name];
    if (!spec) {
      const valid = listOptions(schema);
      const list = valid.length ? `its options are:\n  ${valid.join('\n  ')}` : 'it takes no options';
      throw new ShearsError('E_PIPELINE', `pass '${passName}' has no option '${name}'; ${list}`);
    }
    values[name] = parseValue(passName, schema, name, text);
  }
  return values;
}

function parseValue(passName: string, schema: OptionsSchema, name: string, text: string): OptionValue {
  const spec = schema[name];
  const bad = (why: string): never => {
    throw new ShearsError('E_PIPELINE', `option '${name}' of pass '${passName}' ${why}, got '${text}'; its options are:\n  ${listOptions(schema).join('\n  ')}`);
  };
  switch (spec.type) {
    case 'boolean':
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      return bad('must be true or false');
    case 'enum':
      return spec.values.includes(text) ? text : bad(`must be ${describeOptionType(spec)}`);
    case 'string':
      return text;
    case 'int':
    case 'number': {
      const pattern = spec.type === 'int' ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
      const n = Number(text);
      if (!pattern.test(text) || !Number.isFinite(n)) return bad(`must be ${describeOptionType(spec)}`);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) return bad(`must be ${describeOptionType(spec)}`);
      return n;
    }
  }
}

/** `name=value` for every option that differs from its default, in schema order (a canonical pipeline step). */
export function formatOptions(schema: OptionsSchema, values: Readonly<Record<string, OptionValue>>): string {
  const parts = Object.entries(schema)
    .filter(([name, spec]) => values[name] !== spec.default)
    .map(([name]) => `${name}=${String(values[name])}`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

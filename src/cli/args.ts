import { ShearsError } from '../error.js';

export interface OptionSpec {
  name: string;
  /** `string[]` options may be given several times. */
  type: 'string' | 'number' | 'boolean' | 'string[]';
  description: string;
  short?: string;
  default?: string | number | boolean;
  /** Placeholder shown in help, e.g. FILE. */
  value?: string;
}

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string | number | boolean | string[]>;
}

/** Options every command accepts. */
export const globalOptions: OptionSpec[] = [
  { name: 'help', short: 'h', type: 'boolean', description: 'show help for this command' },
  { name: 'debug', type: 'boolean', description: 'print stack traces on errors' },
];

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const all = [...specs, ...globalOptions];
  const byName = new Map(all.map((s) => [s.name, s]));
  const byShort = new Map(all.filter((s) => s.short).map((s) => [s.short!, s]));
  const options = new Map<string, string | number | boolean | string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      spec = byName.get(name);
      if (!spec && name.startsWith('no-') && byName.get(name.slice(3))?.type === 'boolean') {
        options.set(name.slice(3), false);
        continue;
      }
      if (!spec) throw new ShearsError('E_USAGE', `unknown option --${name}; valid options: ${all.map((s) => '--' + s.name).join(', ')}`);
    } else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      spec = byShort.get(arg.slice(1));
      if (!spec) throw new ShearsError('E_USAGE', `unknown option ${arg}`);
    } else {
      positional.push(arg);
      continue;
    }
    if (spec.type === 'boolean') {
      if (inline !== undefined && !/^(true|false)$/.test(inline)) throw new ShearsError('E_USAGE', `--${spec.name} takes no value (or =true/=false)`);
      options.set(spec.name, inline !== 'false');
      continue;
    }
    const text = inline ?? argv[++i];
    if (text === undefined) throw new ShearsError('E_USAGE', `--${spec.name} needs a value`);
    if (spec.type === 'number') {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new ShearsError('E_USAGE', `--${spec.name} needs a number, got '${text}'`);
      options.set(spec.name, n);
    } else if (spec.type === 'string[]') {
      const list = (options.get(spec.name) as string[] | undefined) ?? [];
      list.push(text);
      options.set(spec.name, list);
    } else {
      options.set(spec.name, text);
    }
  }
  for (const s of specs) if (s.default !== undefined && !options.has(s.name)) options.set(s.name, s.default);
  return { positional, options };
}

export function formatOptions(specs: readonly OptionSpec[]): string {
  const rows = [...specs, ...globalOptions].map((s) => {
    const flag = `${s.short ? `-${s.short}, ` : ''}--${s.name}${s.type === 'boolean' ? '' : ` ${s.value ?? s.type.replace('[]', '').toUpperCase()}`}`;
    const extra = s.default !== undefined && s.type !== 'boolean' ? ` (default: ${s.default})` : s.type === 'string[]' ? ' (repeatable)' : '';
    return [flag, s.description + extra] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`).join('\n');
}

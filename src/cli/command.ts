import { ShearsError } from '../error.js';
import { formatOptions, OptionSpec, ParsedArgs } from './args.js';

/** One CLI command; each lives in its own file under src/cli and is listed in commands.ts. */
export interface Command {
  name: string;
  summary: string;
  /** e.g. `shears inspect MODEL [--json]` */
  usage: string;
  /** Longer text shown by `--help`, after the usage line. */
  description?: string;
  options: OptionSpec[];
  run(args: ParsedArgs, io: CommandIO): Promise<number> | number;
}

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

export function commandHelp(c: Command): string {
  return `usage: ${c.usage}\n\n${c.summary}\n${c.description ? '\n' + c.description.trim() + '\n' : ''}\noptions:\n${formatOptions(c.options)}\n`;
}

export function requirePositional(args: ParsedArgs, count: number, what: string): string[] {
  if (args.positional.length !== count) {
    throw new ShearsError('E_USAGE', `expected ${what}, got ${args.positional.length ? args.positional.map((p) => `'${p}'`).join(' ') : 'nothing'}`);
  }
  return args.positional;
}

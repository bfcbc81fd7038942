/** The shears command line: dispatches to the commands (commands.ts); main.ts starts it. */
import { ShearsError } from '../error.js';
import { parseArgs } from './args.js';
import { Command, CommandIO, commandHelp } from './command.js';
import { commands } from './commands.js';

const io: CommandIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'shears — a compiler for ONNX models: import, optimize and prune, lower to CPU JavaScript or WebGPU.',
    '',
    'usage: shears COMMAND [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run `shears COMMAND --help` for a command\'s options. Errors in the input exit with status 2,',
    'internal errors with status 1; --debug prints stack traces.',
    '',
  ].join('\n');
}

/** Exit status: 0 success, 2 bad input or usage (ShearsError), 1 a bug in shears. */
export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.out('shears 0.1.0\n');
    return 0;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  try {
    if (!command) throw new ShearsError('E_USAGE', `unknown command '${name}'; commands: ${commands.map((c) => c.name).join(', ')}`);
    const args = parseArgs(rest, command.options);
    if (args.options.get('help')) {
      io.out(commandHelp(command));
      return 0;
    }
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof ShearsError) {
      io.err(`shears: error: ${e.message} [${e.code}]\n`);
      if (debug && e.stack) io.err(e.stack + '\n');
      return 2;
    }
    io.err(`shears: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    io.err(debug ? `${(e as Error)?.stack ?? ''}\n` : 'This is a bug in shears; rerun with --debug for a stack trace.\n');
    return 1;
  }
}

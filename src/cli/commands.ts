import type { Command } from './command.js';
import { compileCommand } from './compile.js';
import { inspectCommand } from './inspect.js';
import { optimizeCommand } from './optimize.js';
import { passesCommand } from './passes.js';
import { printCommand } from './print.js';
import { pruneCommand } from './prune.js';
import { runCommand } from './run.js';
import { sensitivityCommand } from './sensitivity.js';

/** Every CLI command, one line each. */
export const commands: Command[] = [
  inspectCommand,
  printCommand,
  optimizeCommand,
  passesCommand,
  pruneCommand,
  sensitivityCommand,
  runCommand,
  compileCommand,
];

import type { Command } from './command.js';
import { inspectCommand } from './inspect.js';
import { printCommand } from './print.js';

/** Every CLI command, one line each. */
export const commands: Command[] = [inspectCommand, printCommand];

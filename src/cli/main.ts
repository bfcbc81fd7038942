#!/usr/bin/env node
import { relaunchForLeanMemory } from './lean-node.js';

const argv = process.argv.slice(2);
try {
  process.exitCode = await (relaunchForLeanMemory(argv) ?? import('./cli.js').then((cli) => cli.main(argv)));
} catch (e) {
  process.stderr.write(`shears: internal error: ${String(e)}\n`);
  process.exitCode = 1;
}

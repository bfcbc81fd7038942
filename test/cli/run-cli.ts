import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const cliPath = path.resolve('dist/src/cli/main.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI (npm test builds it first) as a user would. */
export function runCli(args: string[], cwd = process.cwd()): CliResult {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

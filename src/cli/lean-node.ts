/**
 * `shears run --memory lean` runs in a node started with LEAN_NODE_FLAGS (see there why). This
 * module imports nothing else of shears: the launching process stays at node's own size while the
 * relaunched one works.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { hasLeanNodeFlags, LEAN_NODE_FLAGS } from '../backend/lean-node-flags.js';

/** Whether the arguments ask `run` for lean memory (`--memory lean` or `--memory=lean`, before any `--`). */
export function wantsLeanNode(argv: readonly string[]): boolean {
  if (argv[0] !== 'run') return false;
  for (let i = 1; i < argv.length && argv[i] !== '--'; i++) {
    if (argv[i] === '--memory=lean' || (argv[i] === '--memory' && argv[i + 1] === 'lean')) return true;
  }
  return false;
}

/**
 * When lean memory is asked for and this node lacks LEAN_NODE_FLAGS, runs the same command in a
 * node that has them and resolves to its exit status; otherwise null (run here).
 */
export function relaunchForLeanMemory(argv: readonly string[]): Promise<number> | null {
  if (!wantsLeanNode(argv) || hasLeanNodeFlags()) return null;
  // Inspector options stay with this process: the relaunched one could not bind the same port.
  const inherited = process.execArgv.filter((a) => !/^--(inspect|debug-port)/.test(a));
  const child = spawn(process.execPath, [...inherited, ...LEAN_NODE_FLAGS, process.argv[1], ...argv], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, forward);
  return new Promise((resolve) => {
    child.on('error', (e) => {
      process.stderr.write(`shears: cannot relaunch node for --memory lean: ${e.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

import { describe, expect, it } from 'vitest';
import { LEAN_NODE_FLAGS } from '../../src/backend/lean-node-flags.js';
import { parseArgs } from '../../src/cli/args.js';
import { wantsLeanNode } from '../../src/cli/lean-node.js';
import { runCommand } from '../../src/cli/run.js';
import { runCli } from './run-cli.js';

const flags = LEAN_NODE_FLAGS.join(' ');

describe('shears run --memory lean relaunches node with LEAN_NODE_FLAGS', () => {
  it('recognises the option only on run, in either spelling, before --', () => {
    expect(wantsLeanNode(['run', 'm.onnx', '--memory', 'lean'])).toBe(true);
    expect(wantsLeanNode(['run', '--memory=lean', 'm.onnx'])).toBe(true);
    expect(wantsLeanNode(['run', 'm.onnx', '--memory', 'fast'])).toBe(false);
    expect(wantsLeanNode(['run', 'm.onnx', '--', '--memory', 'lean'])).toBe(false);
    expect(wantsLeanNode(['compile', 'm.onnx', '--memory', 'lean'])).toBe(false);
  });

  it('runs the model in a node with the flags and reports its memory; without lean, node is left as it is', () => {
    const lean = runCli(['run', 'models/digits-cnn.onnx', '--memory', 'lean', '--stats']);
    expect(lean.status).toBe(0);
    expect(lean.stdout).toMatch(/logits\s+float32\s+\[1,10\]/);
    const size = '[\\d.]+ (B|KiB|MiB)';
    expect(lean.stdout).toMatch(new RegExp(`memory: peak RSS ${size}, ${size} above the ${size} before loading the model \\(weights ${size}, node ${flags}\\)`));
    const fast = runCli(['run', 'models/digits-cnn.onnx', '--stats']);
    expect(fast.status).toBe(0);
    expect(fast.stdout).toMatch(/memory: peak RSS [\d.]+ MiB/);
    expect(fast.stdout).not.toContain(flags);
  });

  it('computes in the relaunched node what lean mode computes here', async () => {
    let here = '';
    const io = { out: (t: string) => (here += t), err: (t: string) => (here += t) };
    expect(await runCommand.run(parseArgs(['models/digits-cnn.onnx', '--memory', 'lean'], runCommand.options), io)).toBe(0);
    const relaunched = runCli(['run', 'models/digits-cnn.onnx', '--memory', 'lean']);
    const summary = (s: string): string | undefined => s.split('\n').find((l) => l.startsWith('logits'));
    expect(summary(here)).toMatch(/min -?[\d.]+ max/);
    expect(summary(relaunched.stdout)).toBe(summary(here));
  });

  it('passes on the relaunched command\'s errors and exit status', () => {
    const r = runCli(['run', 'no-such-model.onnx', '--memory', 'lean']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/shears: error: .*no-such-model\.onnx/);
  });
});

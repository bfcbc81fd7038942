/**
 * The ai.onnx.preview.training optimizers (which onnxruntime's CPU build lacks) against PyTorch's
 * Adagrad, SGD with (Nesterov) momentum and Adam over three steps with weight decay.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Attribute } from '../../../src/ir/attribute.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { attr, f32, i64, pseudoRandom, runCpuTensors } from './op-check.js';

const PYTHON = '/usr/bin/python3';
const DOMAIN = 'ai.onnx.preview.training';
const x0 = pseudoRandom(5, 11);
const grads = [pseudoRandom(5, 12), pseudoRandom(5, 13), pseudoRandom(5, 14)];

const TORCH = `
import json, sys, torch
x0, grads = json.loads(sys.argv[1])
def run(make):
    p = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    opt = make([p])
    for g in grads:
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
    return p.detach().tolist()
print(json.dumps({
    'adagrad': run(lambda ps: torch.optim.Adagrad(ps, lr=0.1, lr_decay=0.05, weight_decay=0.01, eps=1e-6)),
    'momentum': run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.2, weight_decay=0.01)),
    'nesterov': run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    'adam': run(lambda ps: torch.optim.Adam(ps, lr=0.1, betas=(0.8, 0.95), eps=0, weight_decay=0.01)),
}))
`;

const hasTorch = fs.existsSync(PYTHON) && (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import torch']);
    return true;
  } catch {
    return false;
  }
})();

let expected: Record<string, number[]> = {};

/** Runs `steps` updates; `t` is the step count the optimizer's T input gets, state starts at zero. */
async function train(op: string, stateCount: number, attributes: Attribute[], tOf: (step: number) => number): Promise<number[]> {
  let x: Tensor = f32([5], x0);
  let state: Tensor[] = Array.from({ length: stateCount }, () => f32([5], new Array(5).fill(0)));
  for (let s = 0; s < grads.length; s++) {
    const inputs = [f32([], [0.1]), i64([], [tOf(s)]), x, f32([5], grads[s]), ...state];
    const outs = await runCpuTensors({ op, domain: DOMAIN, opset: 1, inputs, attributes, outputs: 1 + stateCount });
    [x, ...state] = outs;
  }
  return x.toNumbers();
}

function expectClose(actual: number[], want: number[]): void {
  expect(actual.length).toBe(want.length);
  actual.forEach((a, i) => expect(Math.abs(a - want[i])).toBeLessThan(1e-5 + 1e-5 * Math.abs(want[i])));
}

describe.skipIf(!hasTorch)('training optimizers against PyTorch', () => {
  beforeAll(() => {
    expected = JSON.parse(execFileSync(PYTHON, ['-c', TORCH, JSON.stringify([x0, grads])], { encoding: 'utf8' }));
  });

  it('Adagrad (T counts from 0, as torch counts lr_decay steps)', async () => {
    const attrs = [attr.float('decay_factor', 0.05), attr.float('epsilon', 1e-6), attr.float('norm_coefficient', 0.01)];
    expectClose(await train('Adagrad', 1, attrs, (s) => s), expected.adagrad);
  });

  it('Momentum, standard (beta = 1 - dampening; the first step takes the whole gradient)', async () => {
    const attrs = [attr.float('alpha', 0.9), attr.float('beta', 0.8), attr.float('norm_coefficient', 0.01), attr.string('mode', 'standard')];
    expectClose(await train('Momentum', 1, attrs, (s) => s), expected.momentum);
  });

  it('Momentum, nesterov', async () => {
    const attrs = [attr.float('alpha', 0.9), attr.float('beta', 1), attr.float('norm_coefficient', 0.01), attr.string('mode', 'nesterov')];
    expectClose(await train('Momentum', 1, attrs, (s) => s), expected.nesterov);
  });

  it('Adam with bias correction (T counts from 1)', async () => {
    const attrs = [attr.float('alpha', 0.8), attr.float('beta', 0.95), attr.float('epsilon', 0), attr.float('norm_coefficient', 0.01)];
    expectClose(await train('Adam', 2, attrs, (s) => s + 1), expected.adam);
  });
});

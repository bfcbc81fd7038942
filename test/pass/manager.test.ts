import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ShearsError } from '../../src/error.js';
import type { Model } from '../../src/ir/model.js';
import { printModel } from '../../src/ir/print.js';
import { loadModel } from '../../src/onnx/import.js';
import { PassFailure, runPipeline } from '../../src/pass/manager.js';
import { AnyPass, definePass, Stats } from '../../src/pass/pass.js';
import type { PassRegistry } from '../../src/pass/pipeline.js';
import { defaultRegistry } from '../../src/pass/registry.js';
import { tempDir } from '../helpers/build-model.js';
import { ModelBuilder } from '../passes/builder.js';

/** x → Relu → Neg → y, plus a dead Sigmoid. */
function smallModel(): Model {
  const b = new ModelBuilder();
  const x = b.input('x', [2]);
  b.op('Sigmoid', [x]);
  return b.output(b.op('Neg', [b.op('Relu', [x])]));
}

/** Appends an Abs node to the output, `times` times in total over all its runs (state lives in the closure). */
function growingPass(times: number): AnyPass {
  let left = times;
  return definePass({
    name: 'grow',
    summary: 'adds Abs nodes',
    description: 'test',
    options: {},
    statistics: { added: 'nodes added' },
    run(model) {
      const stats = new Stats();
      if (left-- > 0) {
        const g = model.graph;
        const out = g.outputs[0];
        const abs = g.addNode({ opType: 'Abs', inputs: [out], outputs: [g.uniqueName('abs')] });
        g.outputs = [abs.outputs[0]!];
        stats.add('added');
      }
      return stats.result();
    },
  });
}

const breakGraph = definePass({
  name: 'break',
  summary: 'moves the last node to the front, breaking topological order',
  description: 'test',
  options: {},
  statistics: { moved: 'nodes moved' },
  run(model) {
    const g = model.graph;
    g.nodes.unshift(g.nodes.pop()!);
    const stats = new Stats();
    stats.add('moved');
    return stats.result();
  },
});

const throwing = (error: Error): AnyPass =>
  definePass({ name: 'throw', summary: 'throws', description: 'test', options: {}, statistics: {}, run: () => { throw error; } });

function registryWith(...passes: AnyPass[]): PassRegistry {
  return { passes: new Map([...defaultRegistry.passes, ...passes.map((p) => [p.name, p] as const)]), pipelines: defaultRegistry.pipelines };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('pass manager', () => {
  it('runs a fixpoint group until nothing changes', () => {
    const model = smallModel();
    const report = runPipeline(model, 'fixpoint(grow,dce)', { registry: registryWith(growingPass(3)), reproducer: false });
    expect(report.runs.filter((r) => r.pass === 'grow').map((r) => r.changed)).toEqual([true, true, true, false]);
    expect(report.changed).toBe(true);
    expect(report.notes).toEqual([]);
    expect(model.graph.nodes.map((n) => n.opType)).toEqual(['Relu', 'Neg', 'Abs', 'Abs', 'Abs']);
  });

  it('stops a fixpoint group at max-iterations and says so', () => {
    const report = runPipeline(smallModel(), 'fixpoint{max-iterations=2}(grow)', { registry: registryWith(growingPass(5)), reproducer: false });
    expect(report.runs).toHaveLength(2);
    expect(report.notes[0]).toContain('after 2 rounds');
  });

  it('skips disabled passes, and rejects unknown names in --disable-pass and --print-ir-after', () => {
    const model = smallModel();
    const report = runPipeline(model, 'dce,cse', { disable: ['dce'], reproducer: false });
    expect(report.runs.map((r) => r.pass)).toEqual(['cse']);
    expect(model.graph.nodes).toHaveLength(3);
    expect(() => runPipeline(smallModel(), 'dce', { disable: ['dcee'] })).toThrow(/--disable-pass: unknown pass 'dcee'.*passes: .*dce/);
    expect(() => runPipeline(smallModel(), 'dce', { printIrAfter: ['nope'] })).toThrow(ShearsError);
  });

  it('prints the IR after the named passes, after all, or after changes only', () => {
    const logged: string[] = [];
    const log = (t: string): number => logged.push(t);
    runPipeline(smallModel(), 'cse,dce', { printIrAfter: ['dce'], log, reproducer: false });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('IR after dce');
    expect(logged[0]).not.toContain('Sigmoid');
    logged.length = 0;
    runPipeline(smallModel(), 'cse,dce', { printIrAfter: ['all'], log, reproducer: false });
    expect(logged.map((t) => t.split('\n')[0])).toEqual(['// ----- IR after cse (unchanged) -----', '// ----- IR after dce -----']);
    logged.length = 0;
    runPipeline(smallModel(), 'cse,dce', { printIrAfterChange: true, log, reproducer: false });
    expect(logged).toHaveLength(1);
  });

  it('prints a timing table with runs and changes per pass', () => {
    let table = '';
    runPipeline(smallModel(), 'fixpoint(cse,dce)', { timePasses: true, log: (t) => (table = t), reproducer: false });
    const rows = table.split('\n');
    expect(rows[1]).toMatch(/wall ms\s+%\s+runs\s+changed\s+changes\s+pass/);
    expect(rows.find((r) => r.endsWith(' dce'))).toMatch(/\s2\s+1\s+1\s+dce$/);
    expect(rows.find((r) => r.endsWith(' cse'))).toMatch(/\s2\s+0\s+0\s+cse$/);
    expect(rows.some((r) => r.endsWith('total'))).toBe(true);
  });

  it('writes a reproducer when the verifier fails after a pass: the IR before it and the failing step', () => {
    const dir = tempDir();
    dirs.push(dir);
    const model = smallModel();
    let error: unknown;
    try {
      runPipeline(model, 'dce,break', { registry: registryWith(breakGraph), reproducer: { dir } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PassFailure);
    const message = (error as Error).message;
    expect(message).toContain("pass 'break' failed: left an invalid graph");
    expect(message).toContain(path.join(dir, 'before.onnx'));
    expect(fs.readFileSync(path.join(dir, 'pipeline.txt'), 'utf8')).toBe('break\n');
    const before = loadModel(path.join(dir, 'before.onnx'));
    const expected = smallModel();
    runPipeline(expected, 'dce', { reproducer: false });
    expect(printModel(before)).toBe(printModel(expected));
    expect(() => runPipeline(before, 'break', { registry: registryWith(breakGraph), reproducer: false })).toThrow(/left an invalid graph/);
  });

  it('writes a reproducer when a pass throws something other than a ShearsError (a bug)', () => {
    const dir = tempDir();
    dirs.push(dir);
    let error: unknown;
    try {
      runPipeline(smallModel(), 'throw', { registry: registryWith(throwing(new TypeError('oops'))), reproducer: { dir } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PassFailure);
    expect((error as Error).message).toMatch(/pass 'throw' failed: oops\nreproducer: /);
    expect(fs.existsSync(path.join(dir, 'before.onnx'))).toBe(true);
  });

  it('passes a ShearsError (bad input, not a bug) through with its code and no reproducer', () => {
    const dir = tempDir();
    dirs.push(dir);
    let error: unknown;
    try {
      runPipeline(smallModel(), 'throw', { registry: registryWith(throwing(new ShearsError('E_SHAPE', 'shapes disagree'))), reproducer: { dir } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShearsError);
    expect((error as ShearsError).code).toBe('E_SHAPE');
    expect((error as Error).message).toBe("pass 'throw': shapes disagree");
    expect(fs.existsSync(path.join(dir, 'before.onnx'))).toBe(false);
  });

  it('refuses an invalid input model before running any pass', () => {
    const model = smallModel();
    model.graph.nodes.reverse();
    expect(() => runPipeline(model, 'dce')).toThrow(/the input model is not a valid graph/);
  });

  it('fold-constants without an evaluator says so and changes nothing', () => {
    const b = new ModelBuilder();
    const c = b.init('c', [2], [1, -2]);
    const model = b.output(b.op('Relu', [c]));
    const before = printModel(model);
    const report = runPipeline(model, 'fold-constants', { reproducer: false });
    expect(report.runs[0].changed).toBe(false);
    expect(report.runs[0].notes[0]).toContain('no evaluator');
    expect(printModel(model)).toBe(before);
  });
});

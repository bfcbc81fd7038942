import { describe, expect, it } from 'vitest';
import { ShearsError } from '../../src/error.js';
import { definePass, Stats } from '../../src/pass/pass.js';
import { formatPipeline, parsePipeline, PassRegistry, PipelineStep } from '../../src/pass/pipeline.js';
import { defaultRegistry } from '../../src/pass/registry.js';

const prune = definePass({
  name: 'prune-test',
  summary: 'test pass with one option of each type',
  description: 'none',
  options: {
    sparsity: { type: 'number', default: 0.5, min: 0, max: 1, doc: 'fraction of weights to zero' },
    steps: { type: 'int', default: 1, min: 1, doc: 'rounds' },
    scope: { type: 'enum', values: ['layer', 'global'], default: 'layer', doc: 'where thresholds apply' },
    verbose: { type: 'boolean', default: false, doc: 'talk' },
    tag: { type: 'string', default: '', doc: 'free text' },
  },
  statistics: {},
  run: () => new Stats().result(),
});

const registry: PassRegistry = {
  passes: new Map([...defaultRegistry.passes, [prune.name, prune]]),
  pipelines: defaultRegistry.pipelines,
};

function parse(text: string): PipelineStep[] {
  return parsePipeline(text, registry);
}

function pipelineError(text: string): ShearsError {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ShearsError);
    expect((e as ShearsError).code).toBe('E_PIPELINE');
    return e as ShearsError;
  }
  throw new Error(`'${text}' parsed without an error`);
}

describe('pipeline text', () => {
  it('parses passes, options and fixpoint groups', () => {
    const steps = parse(' dce , prune-test{ sparsity = 0.9 , scope=global,verbose=true,steps=3 } ,fixpoint{max-iterations=4}(cse,dce)');
    expect(steps.map((s) => s.kind)).toEqual(['pass', 'pass', 'fixpoint']);
    const p = steps[1] as Extract<PipelineStep, { kind: 'pass' }>;
    expect(p.options).toEqual({ sparsity: 0.9, steps: 3, scope: 'global', verbose: true, tag: '' });
    const f = steps[2] as Extract<PipelineStep, { kind: 'fixpoint' }>;
    expect(f.maxIterations).toBe(4);
    expect(f.steps.map((s) => (s.kind === 'pass' ? s.pass.name : 'group'))).toEqual(['cse', 'dce']);
  });

  it('prints a canonical form that parses back to the same steps', () => {
    const text = 'dce,prune-test{sparsity=0.25,scope=global},fixpoint{max-iterations=3}(cse,fixpoint(dce)),fold-batchnorm{into=conv}';
    expect(formatPipeline(parse(text))).toBe(text);
    expect(formatPipeline(parse('prune-test{sparsity=0.5,steps=1}'))).toBe('prune-test');
  });

  it('expands a named pipeline in place', () => {
    const steps = parse('simplify');
    expect(formatPipeline(steps)).toBe(formatPipeline(parse(defaultRegistry.pipelines.get('simplify')!.pipeline)));
    expect(steps.some((s) => s.kind === 'fixpoint')).toBe(true);
  });

  it('rejects an unknown pass, listing every registered pass and pipeline', () => {
    const e = pipelineError('dce,fold-constant,cse');
    expect(e.message).toContain("unknown pass 'fold-constant'");
    expect(e.message).toContain('column 5');
    for (const name of [...registry.passes.keys(), 'simplify']) expect(e.message).toContain(name);
  });

  it('rejects an out-of-range value, naming the range', () => {
    const e = pipelineError('prune-test{sparsity=1.5}');
    expect(e.message).toContain("option 'sparsity' of pass 'prune-test' must be number in [0, 1], got '1.5'");
    expect(e.message).toContain('steps=<integer in [1, inf]> (default 1): rounds');
  });

  it('rejects an unknown option, listing the valid ones with their types and defaults', () => {
    const e = pipelineError('prune-test{sparsty=0.5}');
    expect(e.message).toContain("has no option 'sparsty'");
    expect(e.message).toContain('sparsity=<number in [0, 1]> (default 0.5)');
    expect(e.message).toContain('scope=<one of layer|global> (default layer)');
    expect(pipelineError('dce{x=1}').message).toContain('takes no options');
  });

  it('rejects values of the wrong type', () => {
    expect(pipelineError('prune-test{sparsity=lots}').message).toContain('must be number');
    expect(pipelineError('prune-test{steps=2.5}').message).toContain('must be integer');
    expect(pipelineError('prune-test{verbose=yes}').message).toContain('must be true or false');
    expect(pipelineError('prune-test{scope=local}').message).toContain('one of layer|global');
    expect(pipelineError('fold-constants{max-growth=-1}').message).toContain("'max-growth'");
  });

  it('rejects malformed text with the column', () => {
    expect(pipelineError('').message).toContain('expected a pass name');
    expect(pipelineError('dce,').message).toContain('column 5');
    expect(pipelineError('fixpoint(dce').message).toContain("expected ')'");
    expect(pipelineError('dce cse').message).toContain("expected ','");
    expect(pipelineError('prune-test{steps=2,steps=3}').message).toContain('given twice');
    expect(pipelineError('simplify{x=1}').message).toContain('takes no options');
  });

  it('refuses a named pipeline that includes itself', () => {
    const loop: PassRegistry = { passes: registry.passes, pipelines: new Map([['loop', { name: 'loop', summary: '', description: '', pipeline: 'dce,loop' }]]) };
    expect(() => parsePipeline('loop', loop)).toThrow(/includes itself/);
  });
});

import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { passesMarkdown } from '../../src/pass/docs.js';
import { defaultRegistry } from '../../src/pass/registry.js';

const generated = passesMarkdown(defaultRegistry);
const END = '<!-- End of the generated pass documentation. -->';

/** The README's generated section: from the generator's first line up to the end marker. */
function readmeSection(readme: string): { start: number; end: number } {
  const start = readme.indexOf(generated.split('\n')[0]);
  const end = readme.indexOf(END);
  return { start, end };
}

describe('pass documentation', () => {
  it('the README holds exactly what the registry generates (regenerate: UPDATE_DOCS=1 npx vitest run test/pass/docs.test.ts)', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    const { start, end } = readmeSection(readme);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    if (process.env.UPDATE_DOCS) {
      fs.writeFileSync('README.md', readme.slice(0, start) + generated + readme.slice(end));
      return;
    }
    expect(readme.slice(start, end)).toBe(generated);
  });

  it('documents every pass with its summary, options and statistics', () => {
    for (const p of defaultRegistry.passes.values()) {
      expect(generated).toContain(`#### \`${p.name}\``);
      expect(generated).toContain(p.summary);
      for (const option of Object.keys(p.options)) expect(generated).toContain(`| \`${option}\` |`);
      for (const stat of Object.keys(p.statistics)) expect(generated).toContain(`\`${stat}\``);
    }
  });
});

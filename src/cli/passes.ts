/** `shears passes [NAME] [--markdown]`: every registered pass with its options, generated from the declarations. */
import { ShearsError } from '../error.js';
import { passDetailText, passesMarkdown, passListText } from '../pass/docs.js';
import { validNames } from '../pass/pipeline.js';
import { defaultRegistry } from '../pass/registry.js';
import type { Command } from './command.js';

export const passesCommand: Command = {
  name: 'passes',
  summary: 'List every pass and named pipeline with its options, or describe one.',
  usage: 'shears passes [NAME] [--markdown]',
  description: `
Without NAME: one line per pass (its options, types and defaults below it), then the named
pipelines. With NAME: the pass's long description with a before/after example, its options and
the statistics it reports. --markdown prints the README section on passes.`,
  options: [{ name: 'markdown', type: 'boolean', description: 'print the Markdown documentation of all passes' }],
  run(args, io) {
    if (args.options.get('markdown')) {
      io.out(passesMarkdown(defaultRegistry));
      return 0;
    }
    if (args.positional.length > 1) throw new ShearsError('E_USAGE', `expected at most one pass name, got ${args.positional.length}`);
    const [name] = args.positional;
    if (name === undefined) {
      io.out(passListText(defaultRegistry));
      return 0;
    }
    const p = defaultRegistry.passes.get(name) ?? defaultRegistry.pipelines.get(name);
    if (!p) throw new ShearsError('E_PIPELINE', `unknown pass '${name}'; ${validNames(defaultRegistry)}`);
    io.out(passDetailText(p));
    return 0;
  },
};

/**
 * Documentation generated from the pass declarations: the text of `shears passes` and the
 * Markdown section of the README (checked by test/pass/docs.test.ts), so that neither can drift from the code.
 */
import { describeOptionType, listOptions } from './options.js';
import type { AnyPass, NamedPipeline } from './pass.js';
import type { PassRegistry } from './pipeline.js';

const byName = <T extends { name: string }>(xs: Iterable<T>): T[] => [...xs].sort((a, b) => a.name.localeCompare(b.name));

/** One line per pass and pipeline, options indented below their pass. */
export function passListText(registry: PassRegistry): string {
  const passes = byName(registry.passes.values());
  const pipelines = byName(registry.pipelines.values());
  const width = Math.max(...[...passes, ...pipelines].map((p) => p.name.length)) + 2;
  const lines = ['passes:'];
  for (const p of passes) {
    lines.push(`  ${p.name.padEnd(width)}${p.summary}`);
    for (const o of listOptions(p.options)) lines.push(`  ${''.padEnd(width)}  ${o}`);
  }
  lines.push('', 'pipelines:');
  for (const p of pipelines) lines.push(`  ${p.name.padEnd(width)}${p.summary}`, `  ${''.padEnd(width)}  = ${p.pipeline}`);
  lines.push('', 'groups:', `  ${'fixpoint(...)'.padEnd(width)}Run the passes inside again until none changes anything (option max-iterations, default 10)`);
  return lines.join('\n') + '\n';
}

/** Everything about one pass or pipeline, for `shears passes NAME`. */
export function passDetailText(p: AnyPass | NamedPipeline): string {
  const lines = [`${p.name} — ${p.summary}`, '', p.description, ''];
  if ('pipeline' in p) return [...lines, `pipeline: ${p.pipeline}`, ''].join('\n');
  const options = listOptions(p.options);
  lines.push('options:', ...(options.length ? options.map((o) => `  ${o}`) : ['  (none)']), '', 'statistics:');
  for (const [name, doc] of Object.entries(p.statistics)) lines.push(`  ${name}: ${doc}`);
  return lines.join('\n') + '\n';
}

/** The README section on `shears optimize`, the pipeline syntax and every pass. */
export function passesMarkdown(registry: PassRegistry): string {
  const passes = byName(registry.passes.values());
  const pipelines = byName(registry.pipelines.values());
  const out: string[] = [
    '<!-- Generated from the pass declarations by `shears passes --markdown`; do not edit by hand. -->',
    '## Optimizing models: `shears optimize`',
    '',
    '```sh',
    'shears optimize model.onnx -o model.opt.onnx                      # the default pipeline, simplify',
    'shears optimize model.onnx -o out.onnx --passes "dce,fold-constants{max-growth=2},fixpoint(cse,dce)" --time-passes',
    'shears passes                                                     # every pass, its options and defaults',
    '```',
    '',
    'A pipeline is pass names separated by commas. A pass takes options in braces,',
    '`name{option=value,...}`; options are typed and checked (an unknown pass or option, or a value',
    'of the wrong type or out of range, is an `E_PIPELINE` error that lists what is valid).',
    '`fixpoint(...)` runs the passes inside again until none of them changes anything',
    '(`fixpoint{max-iterations=N}(...)`, default 10). A named pipeline such as `simplify` can be used',
    'wherever a pass name can.',
    '',
    '`shears optimize` prints nodes, parameters, bytes and FLOPs before and after, and each pass\'s',
    'statistics. The input file is never overwritten unless `--in-place`. Flags:',
    '',
    '| flag | effect |',
    '| --- | --- |',
    '| `--passes PIPELINE` | the pipeline to run (default `simplify`) |',
    '| `--no-verify-each` | skip the IR verifier that otherwise runs after every pass |',
    '| `--print-ir-after NAME\\|all` | print the IR after the named pass (repeatable, or comma-separated) |',
    '| `--print-ir-after-change` | print the IR after every pass run that changed it |',
    '| `--time-passes` | a table of wall time, runs and changes per pass |',
    '| `--disable-pass NAME` | skip a pass wherever the pipeline has it |',
    '| `--external-data BYTES` | write tensors of at least BYTES bytes to a side file next to the output (`<output>.data`, or `--external-data-location NAME`); models over 2 GB need it (also on `shears prune`) |',
    '| `--reproducer-dir DIR` | when a pass throws or leaves an invalid IR, write the IR it ran on (`before.onnx`) and the one-step pipeline that fails (`pipeline.txt`) here |',
    '',
    '### Passes',
    '',
    '| pass | summary |',
    '| --- | --- |',
    ...passes.map((p) => `| [\`${p.name}\`](#${anchor(p.name)}) | ${cell(p.summary)} |`),
    ...pipelines.map((p) => `| [\`${p.name}\`](#${anchor(p.name)}) (pipeline) | ${cell(p.summary)} |`),
    '',
  ];
  for (const p of passes) out.push(...passSection(p));
  for (const p of pipelines) out.push(`#### \`${p.name}\``, '', p.summary + '.', '', ...prose(p.description), '```', p.pipeline, '```', '');
  return out.join('\n');
}

function passSection(p: AnyPass): string[] {
  const out = [`#### \`${p.name}\``, '', p.summary + '.', '', ...prose(p.description)];
  const options = Object.entries(p.options);
  if (options.length) {
    out.push('| option | type | default | meaning |', '| --- | --- | --- | --- |');
    for (const [name, spec] of options) out.push(`| \`${name}\` | ${cell(describeOptionType(spec))} | \`${String(spec.default)}\` | ${cell(spec.doc)} |`);
    out.push('');
  }
  const stats = Object.entries(p.statistics);
  if (stats.length) out.push('Statistics: ' + stats.map(([name, doc]) => `\`${name}\` (${doc})`).join(', ') + '.', '');
  return out;
}

/** A description as Markdown: prose paragraphs reflowed, indented example lines as code blocks. */
function prose(description: string): string[] {
  const out: string[] = [];
  let paragraph: string[] = [];
  let code: string[] = [];
  const flush = (): void => {
    if (paragraph.length) out.push(paragraph.join(' '), '');
    if (code.length) out.push('```', ...code, '```', '');
    paragraph = [];
    code = [];
  };
  for (const line of description.split('\n')) {
    if (line.startsWith('  ')) {
      if (paragraph.length) flush();
      code.push(line.slice(2));
    } else if (line.trim() === '') {
      flush();
    } else {
      if (code.length) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  return out;
}

/** Text for a Markdown table cell: a '|' would end the cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function anchor(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

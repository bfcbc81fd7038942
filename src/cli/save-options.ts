/** How commands that write a model write it: `--external-data` moves large tensors to a side file. */
import * as path from 'node:path';
import { ShearsError } from '../error.js';
import type { SaveOptions } from '../onnx/save.js';
import type { OptionSpec, ParsedArgs } from './args.js';

export const saveOptions: OptionSpec[] = [
  {
    name: 'external-data',
    type: 'number',
    value: 'BYTES',
    description: 'store tensors of at least BYTES bytes in a side file next to the output (models over 2 GB need it)',
  },
  { name: 'external-data-location', type: 'string', value: 'NAME', description: 'file name of that side file (default: <output name>.data)' },
];

export function saveOptionsFrom(args: ParsedArgs, output: string): SaveOptions {
  const threshold = args.options.get('external-data') as number | undefined;
  const location = args.options.get('external-data-location') as string | undefined;
  if (threshold === undefined) {
    if (location !== undefined) throw new ShearsError('E_USAGE', '--external-data-location needs --external-data BYTES');
    return {};
  }
  if (!Number.isInteger(threshold) || threshold < 0) throw new ShearsError('E_USAGE', `--external-data needs a whole number of bytes >= 0, got ${threshold}`);
  return { externalData: { threshold, location: location ?? `${path.basename(output)}.data` } };
}

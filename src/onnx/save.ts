import * as fs from 'node:fs';
import * as path from 'node:path';
import { ShearsError } from '../error.js';
import type { Model } from '../ir/model.js';
import { encodeModel, EncodeOptions } from './export.js';
import { normalizeLocation } from './external-data.js';

export interface SaveOptions extends EncodeOptions {
  /** Allow writing over the file the model was read from. */
  overwrite?: boolean;
}

/** Write to a temporary file in the same folder, then rename: readers never see a half-written file. */
export function writeFileAtomic(file: string, chunks: readonly Uint8Array[]): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'w');
    for (const chunk of chunks) {
      let done = 0;
      while (done < chunk.byteLength) done += fs.writeSync(fd, chunk, done, chunk.byteLength - done);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw new ShearsError('E_IO', `cannot write '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path: file });
  }
}

export function saveModel(model: Model, file: string, options: SaveOptions = {}): { bytes: number; sideFiles: string[] } {
  if (options.externalData) {
    const location = options.externalData.location;
    normalizeLocation(location, (why) => {
      throw new ShearsError('E_USAGE', `external data location '${location}' ${why}`, { path: location });
    });
  }
  const encoded = encodeModel(model, options);
  const dir = path.dirname(path.resolve(file));
  const written: string[] = [];
  for (const [location, chunks] of encoded.sideFiles) {
    const target = path.join(dir, location);
    writeFileAtomic(target, chunks);
    written.push(target);
  }
  writeFileAtomic(file, [encoded.bytes]);
  return { bytes: encoded.bytes.byteLength, sideFiles: written };
}

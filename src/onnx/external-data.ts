import * as fs from 'node:fs';
import * as path from 'node:path';
import { ShearsError } from '../error.js';

export interface ExternalRef {
  location: string;
  offset: number;
  length: number;
}

/**
 * Resolve an external-data location inside the model's folder. The location comes from an untrusted
 * file: absolute paths, drive letters, `..` after normalisation, symlinks and hard links that lead
 * elsewhere are all refused (the onnx package's CVEs of this kind are the checklist).
 */
export function resolveExternalPath(baseDir: string, location: string, tensor: string): string {
  const bad = (why: string): never => {
    throw new ShearsError('E_EXTERNAL_DATA', `tensor '${tensor}': external data location '${location}' ${why}`, { tensor });
  };
  if (location === '') bad('is empty');
  if (location.includes('\0')) bad('contains a NUL character');
  const unified = location.replace(/\\/g, '/');
  if (unified.startsWith('/') || /^[A-Za-z]:/.test(unified)) bad('is an absolute path; it must be relative to the model folder');
  const normal = path.posix.normalize(unified);
  if (normal === '..' || normal.startsWith('../') || normal.split('/').includes('..')) bad('leaves the model folder');
  const full = path.join(baseDir, normal);
  let real: string;
  try {
    real = fs.realpathSync(full);
  } catch {
    return bad(`does not exist (looked for ${full})`);
  }
  const realBase = fs.realpathSync(baseDir);
  if (real !== realBase && !real.startsWith(realBase + path.sep)) bad('resolves (through a link) outside the model folder');
  const stat = fs.statSync(real);
  if (!stat.isFile()) bad('is not a regular file');
  if (stat.nlink > 1) bad('is a hard link; shears refuses hard-linked data files because their target cannot be checked');
  return real;
}

/** Check a reference against the file's real size now, so that a later lazy read cannot over-allocate. */
export function externalReader(baseDir: string, ref: ExternalRef, expectedBytes: number, tensor: string): () => Uint8Array {
  const file = resolveExternalPath(baseDir, ref.location, tensor);
  const size = fs.statSync(file).size;
  const { offset, length } = ref;
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new ShearsError('E_EXTERNAL_DATA', `tensor '${tensor}': external data offset ${offset} / length ${length} is not a valid byte range`, { tensor });
  }
  if (offset + length > size) {
    throw new ShearsError('E_EXTERNAL_DATA', `tensor '${tensor}': external data [${offset}, ${offset + length}) goes past the end of '${ref.location}' (${size} bytes)`, { tensor });
  }
  if (length !== expectedBytes) {
    throw new ShearsError('E_EXTERNAL_DATA', `tensor '${tensor}': its shape needs ${expectedBytes} bytes but external data gives ${length}`, { tensor });
  }
  return () => {
    const out = new Uint8Array(length);
    const fd = fs.openSync(file, 'r');
    try {
      let done = 0;
      while (done < length) {
        const n = fs.readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw new ShearsError('E_EXTERNAL_DATA', `tensor '${tensor}': '${ref.location}' was truncated while reading`, { tensor });
        done += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    return out;
  };
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ShearsError, quoted } from '../error.js';

export interface ExternalRef {
  location: string;
  offset: number;
  length: number;
}

/**
 * Resolve an external-data location inside the model's folder. The location comes from an untrusted
 * file: absolute paths, drive letters, `..` after normalisation, symlinks and hard links that lead
 * elsewhere are all refused (the onnx package's CVEs of this kind are the checklist). `where` names
 * the tensor in messages.
 */
export function resolveExternalPath(baseDir: string, location: string, where: string, tensor = ''): string {
  const bad = (why: string): never => {
    throw new ShearsError('E_EXTERNAL_DATA', `${where}: external data location ${quoted(location, 200)} ${why}`, { tensor, path: location });
  };
  const normal = normalizeLocation(location, bad);
  const full = path.join(baseDir, normal);
  let real: string;
  let realBase: string;
  try {
    real = fs.realpathSync(full);
    realBase = fs.realpathSync(baseDir);
  } catch {
    return bad(`does not exist (looked for ${quoted(full, 200)})`);
  }
  if (real !== realBase && !real.startsWith(realBase + path.sep)) bad('resolves (through a link) outside the model folder');
  const stat = statOrNull(real);
  if (!stat || !stat.isFile()) bad('is not a regular file');
  if (stat!.nlink > 1) bad('is a hard link; shears refuses hard-linked data files because where they lead cannot be checked');
  return real;
}

/** The location as a normalised relative path, or `bad(why)` when it could leave the model folder. */
export function normalizeLocation(location: string, bad: (why: string) => never): string {
  if (location === '') bad('is empty');
  if (location.includes('\0')) bad('contains a NUL character');
  const unified = location.replace(/\\/g, '/');
  if (unified.startsWith('/') || /^[A-Za-z]:/.test(unified)) bad('is an absolute path; it must be relative to the model folder');
  const normal = path.posix.normalize(unified);
  if (normal.split('/').includes('..')) bad('leaves the model folder');
  return normal;
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

/**
 * Check a reference against the file's real size now, so that a later lazy read cannot
 * over-allocate; the returned reader re-checks that it opens the same file (no symlink swapped in,
 * not shrunk) before it reads.
 */
export function externalReader(baseDir: string, ref: ExternalRef, expectedBytes: number, where: string, tensor = ''): () => Uint8Array {
  const { offset, length } = ref;
  const bad = (why: string): ShearsError => new ShearsError('E_EXTERNAL_DATA', `${where}: ${why}`, { tensor, path: ref.location });
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw bad(`external data offset ${offset} / length ${length} is not a valid byte range`);
  }
  if (length !== expectedBytes) throw bad(`its shape needs ${expectedBytes} bytes but its external data length is ${length}`);
  const file = resolveExternalPath(baseDir, ref.location, where, tensor);
  const checked = statOrNull(file);
  if (!checked) throw bad(`${quoted(ref.location, 200)} vanished while it was being checked`);
  if (offset + length > checked.size) {
    throw bad(`external data [${offset}, ${offset + length}) goes past the end of ${quoted(ref.location, 200)} (${checked.size} bytes)`);
  }
  return () => {
    let fd: number;
    try {
      fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    } catch (e) {
      throw bad(`cannot open ${quoted(ref.location, 200)} any more (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      const now = fs.fstatSync(fd);
      if (now.ino !== checked.ino || now.dev !== checked.dev) throw bad(`${quoted(ref.location, 200)} was replaced after the model was loaded`);
      if (offset + length > now.size) throw bad(`${quoted(ref.location, 200)} shrank to ${now.size} bytes after the model was loaded`);
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = fs.readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw bad(`${quoted(ref.location, 200)} was truncated while reading`);
        done += n;
      }
      return out;
    } catch (e) {
      if (e instanceof ShearsError) throw e;
      throw bad(`cannot read ${quoted(ref.location, 200)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    } finally {
      fs.closeSync(fd);
    }
  };
}

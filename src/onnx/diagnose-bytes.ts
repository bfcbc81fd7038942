/**
 * Reading a model file, and saying in words what is wrong with bytes that do not decode as ONNX:
 * what the file looks like instead, or where the protobuf breaks.
 */
import * as fs from 'node:fs';
import { ShearsError, printable, quoted } from '../error.js';

/** Protobuf messages, and so ONNX files without external data, are under 2 GiB. */
const MAX_FILE_BYTES = 2 ** 31 - 1;
const TOO_LARGE = 'it is over 2 GiB, more than a protobuf can hold (is it an ONNX file?)';

export function readModelFile(file: string): Uint8Array {
  const cannot = (why: string): ShearsError => new ShearsError('E_IO', `cannot read ${quoted(file, 200)}: ${why}`, { path: file });
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw cannot(errnoText(e));
  }
  // A device such as /dev/zero never ends; a pipe does, so it is read like a file.
  if (stat.isDirectory()) throw cannot('it is a folder, not a model file');
  if (stat.isCharacterDevice() || stat.isBlockDevice()) throw cannot('it is a device, not a model file');
  if (stat.size > MAX_FILE_BYTES) throw cannot(TOO_LARGE);
  try {
    return stat.isFile() ? readShared(file, stat.size) : fs.readFileSync(file);
  } catch (e) {
    throw cannot(errnoText(e));
  }
}

/**
 * The file's bytes in a SharedArrayBuffer: weights decoded from it stay views on it, and a back end's
 * worker threads can then read them in place instead of each executable copying them (ResNet-50's
 * 97 MB) into shared memory. A file that changes size while read is refused.
 */
function readShared(file: string, size: number): Uint8Array {
  const bytes = new Uint8Array(new SharedArrayBuffer(size));
  const fd = fs.openSync(file, 'r');
  try {
    let done = 0;
    while (done < size) {
      const n = fs.readSync(fd, bytes, done, size - done, done);
      if (n === 0) throw new Error(`it ended after ${done} of ${size} bytes (changed while read)`);
      done += n;
    }
    if (fs.readSync(fd, new Uint8Array(1), 0, 1, size) !== 0) throw new Error(`it grew beyond ${size} bytes while read`);
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ERR_FS_FILE_TOO_LARGE') return TOO_LARGE;
  return code ?? (e as Error).message;
}

/** protobufjs's messages, in words that say what is wrong with the file. */
export function protobufProblem(e: unknown): string {
  const message = String((e as Error)?.message ?? e);
  if (e instanceof RangeError && /call stack/.test(message)) return 'its messages are nested too deeply (corrupt or hostile file)';
  const range = /index out of range: (\d+) \+ (\d+) > (\d+)/.exec(message);
  if (range) return `it ends at byte ${range[3]} but a field at byte ${range[1]} needs ${range[2]} byte${range[2] === '1' ? '' : 's'} (truncated or corrupt)`;
  const wire = /invalid wire type (\d+) at offset (\d+)/.exec(message);
  if (wire) return `invalid field encoding (wire type ${wire[1]}) at byte ${wire[2]} (corrupt)`;
  return `${printable(message)} (truncated or corrupt)`;
}

const SIGNATURES: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (a PyTorch checkpoint or .onnx inside a zip?)'],
  [[0x1f, 0x8b], 'gzip-compressed; decompress it first'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an executable (ELF)'],
  [[0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], 'a NumPy array (.npy)'],
];

/** For a file that failed to decode: say what it looks like instead, if that is recognisable. */
export function sniffFormat(bytes: Uint8Array): string | undefined {
  for (const [magic, what] of SIGNATURES) {
    if (bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b)) return `the file is ${what}`;
  }
  const head = bytes.subarray(0, 512);
  const controls = head.some((b) => (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f);
  if (head.length === 0 || controls) return undefined;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'the file is text (ONNX models are binary protobuf)';
  } catch {
    return undefined;
  }
}

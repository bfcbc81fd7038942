/**
 * Mutation fuzzing of the importer: every truncated, bit-flipped or field-mutated model must either
 * import into a valid graph that prints, encodes and reads back the same, or fail with a ShearsError
 * whose message is one line. Anything else is a bug.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ShearsError } from '../../src/error.js';
import { printModel } from '../../src/ir/print.js';
import { verifyModel } from '../../src/ir/verify.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeModel } from '../../src/onnx/import.js';
import { onnx } from '../../src/onnx/proto.js';
import { kitchenSinkBytes } from '../helpers/build-model.js';
import { seededRandom } from '../../src/util/random.js';

const NODE_TESTS = '/usr/share/libonnx-testdata/data/node';
const MODELS = [
  'models/digits-cnn.onnx',
  ...['test_if', 'test_if_seq', 'test_loop11', 'test_scan_sum', 'test_cast_FLOAT_to_STRING', 'test_reshape_negative_dim', 'test_reshape_zero_and_negative_dim'].map(
    (t) => `${NODE_TESTS}/${t}/model.onnx`,
  ),
];
/** Per kind and model; raise it (SHEARS_FUZZ_MUTATIONS=5000) for a longer hunt, with time limits lifted. */
const MUTATIONS = Number(process.env.SHEARS_FUZZ_MUTATIONS ?? 200);

/** Import the bytes and use the result as a pass would; return a description of any crash. */
function crashOf(bytes: Uint8Array): string | null {
  try {
    const model = decodeModel(bytes);
    const problems = verifyModel(model, { types: false });
    if (problems.length) return `imported an invalid graph: ${problems[0]}`;
    // A mutated declared type may contradict inference: the verifier reports it (as it does for the
    // pass manager's check of its input) and must not crash doing so.
    verifyModel(model);
    const text = printModel(model);
    const again = decodeModel(encodeModel(model).bytes);
    if (printModel(again) !== text) return 'encode/decode does not round-trip';
    return null;
  } catch (e) {
    if (e instanceof ShearsError) return /[\n\r]/.test(e.message) ? `message is not one line: ${JSON.stringify(e.message)}` : null;
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

type Message = Record<string, unknown>;

const isMessage = (v: unknown): v is Message => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
const isLong = (v: unknown): boolean => isMessage(v) && typeof v.low === 'number' && typeof v.high === 'number';

/** Every settable field of a decoded message tree, with the names it uses (mutations reuse them). */
function fields(message: Message, slots: { owner: Message | unknown[]; key: string | number }[], names: string[]): void {
  for (const key of Object.keys(message)) {
    const value = message[key];
    slots.push({ owner: message, key });
    const visit = (v: unknown): void => {
      if (typeof v === 'string') names.push(v);
      else if (isMessage(v) && !isLong(v)) fields(v, slots, names);
    };
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        slots.push({ owner: value, key: i });
        visit(v);
      });
    } else visit(value);
  }
}

/** -1, 0, 3, 10^12, INT64_MAX, INT64_MIN as the {low, high} words protobufjs reads and writes. */
const INT64_EDGES = [
  { low: -1, high: -1 },
  { low: 0, high: 0 },
  { low: 3, high: 0 },
  { low: 0xd4a51000 | 0, high: 232 },
  { low: -1, high: 0x7fffffff },
  { low: 0, high: -0x80000000 },
];

/**
 * Decode, change one or two fields to values a hostile writer would choose (boundary integers,
 * unknown enum values, names of other values, missing messages, dropped or repeated entries), encode.
 * This reaches checks that random bit flips rarely get past the wire format to.
 */
function structuredMutant(original: Uint8Array, random: () => number): Uint8Array {
  const model = onnx.ModelProto.decode(original) as unknown as Message;
  const slots: { owner: Message | unknown[]; key: string | number }[] = [];
  const names: string[] = [];
  fields(model, slots, names);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  for (let n = 1 + Math.floor(random() * 2); n > 0; n--) {
    const { owner, key } = pick(slots);
    const set = (v: unknown): void => {
      (owner as Record<string | number, unknown>)[key] = v;
    };
    const value = (owner as Record<string | number, unknown>)[key];
    if (typeof value === 'number') set(pick([-1, 0, 1, 2, 8, 13, 16, 99, 2147483647, -2147483648]));
    else if (isLong(value)) set(pick(INT64_EDGES));
    else if (typeof value === 'string') set(pick(['', 'a\nb', '..', pick(names), pick(names)]));
    else if (value instanceof Uint8Array) set(value.subarray(0, Math.floor(random() * value.length)));
    else if (Array.isArray(value)) value.length > 0 && random() < 0.5 ? value.push(value[0]) : value.pop();
    else if (isMessage(value) && Array.isArray(owner)) owner.splice(key as number, 1);
    else if (isMessage(value)) set(null);
  }
  return onnx.ModelProto.encode(model as never).finish();
}

function mutants(original: Uint8Array, seed: number): { label: string; bytes: Uint8Array }[] {
  const random = seededRandom(seed);
  const out: { label: string; bytes: Uint8Array }[] = [];
  for (let i = 0; i < MUTATIONS; i++) {
    const cut = Math.floor(random() * original.length);
    out.push({ label: `truncated at ${cut}`, bytes: original.subarray(0, cut) });
  }
  for (let i = 0; i < MUTATIONS; i++) {
    const at = Math.floor(random() * original.length);
    const bit = Math.floor(random() * 8);
    const copy = new Uint8Array(original); // a copy even when `original` is a Buffer, whose slice() is a view
    copy[at] ^= 1 << bit;
    out.push({ label: `bit ${bit} of byte ${at} flipped`, bytes: copy });
  }
  for (let i = 0; i < MUTATIONS; i++) out.push({ label: `field mutant ${i}`, bytes: structuredMutant(original, random) });
  return out;
}

const SOURCES: [string, () => Uint8Array][] = [
  ...MODELS.map((file): [string, () => Uint8Array] => [file.replace(NODE_TESTS + '/', ''), () => new Uint8Array(fs.readFileSync(file))]),
  ['a model with a sparse initializer, a local function, string and int4 tensors', kitchenSinkBytes],
];

describe('import fuzzing', () => {
  for (const [index, [label, read]] of SOURCES.entries()) {
    it(`${label}: ${3 * MUTATIONS} mutants import cleanly or fail with ShearsError`, () => {
      const original = read();
      expect(verifyModel(decodeModel(original))).toEqual([]);
      expect(crashOf(original)).toBeNull();
      const crashes: string[] = [];
      for (const { label, bytes } of mutants(original, 0x5eed + index)) {
        const crash = crashOf(bytes);
        if (crash) crashes.push(`${label}: ${crash}`);
      }
      expect(crashes).toEqual([]);
    }, 20_000 * Math.max(1, MUTATIONS / 200));
  }
});

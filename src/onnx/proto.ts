/** The ONNX schema as protobufjs code. Only src/onnx/ touches these types. */
import onnxProto from 'onnx-proto';
import protobuf from 'protobufjs/minimal.js';

export const onnx = onnxProto.onnx;
export type { onnx as OnnxTypes } from 'onnx-proto';

type LongLike = { low: number; high: number; unsigned?: boolean };

const LongCtor = protobuf.util.Long as unknown as { fromString(s: string, unsigned?: boolean): unknown } | undefined;

/** protobufjs gives int64 fields as Long objects (or numbers when small); the IR wants exact integers. */
export function int64(x: number | LongLike | null | undefined): number | bigint {
  if (x === null || x === undefined) return 0;
  if (typeof x === 'number') return x;
  const big = (BigInt(x.high) << 32n) | BigInt(x.low >>> 0);
  const value = x.unsigned ? BigInt.asUintN(64, big) : BigInt.asIntN(64, big);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

const strings = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * protobufjs turns invalid UTF-8 into lone surrogates, which encode back as other bytes, so a name
 * would change on every save. Strings are decoded as TextDecoder does (U+FFFD for bad bytes), so the
 * IR reads the same after a round trip.
 */
class WellFormedReader extends protobuf.Reader {
  override string(): string {
    return strings.decode(this.bytes());
  }
}

/** A reader for `onnx.XProto.decode` that yields well-formed strings. */
export function protoReader(bytes: Uint8Array): protobuf.Reader {
  return new WellFormedReader(bytes);
}

export function toLong(x: number | bigint): number | unknown {
  if (typeof x === 'number') return x;
  return LongCtor ? LongCtor.fromString(x.toString()) : Number(x);
}

const isLong = (v: Record<string, unknown>): boolean => typeof v.low === 'number' && typeof v.high === 'number';
const isMessage = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !ArrayBuffer.isView(v) && !Array.isArray(v) && !isLong(v as Record<string, unknown>);

/**
 * Whether a decoded message tree nests deeper than `limit` messages, found without recursion. Parts
 * of a model that are carried through rather than imported (training_info) are re-encoded by
 * protobufjs recursively, so a tree that only just decoded could overflow the stack there.
 */
export function nestsDeeperThan(root: object, limit: number): boolean {
  const stack: [Record<string, unknown>, number][] = [[root as Record<string, unknown>, 1]];
  while (stack.length > 0) {
    const [message, depth] = stack.pop()!;
    if (depth > limit) return true;
    for (const key of Object.keys(message)) {
      const value = message[key];
      if (isMessage(value)) stack.push([value, depth + 1]);
      else if (Array.isArray(value) && isMessage(value[0])) for (const item of value) stack.push([item as Record<string, unknown>, depth + 1]);
    }
  }
  return false;
}

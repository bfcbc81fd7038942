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

export function toLong(x: number | bigint): number | unknown {
  if (typeof x === 'number') return x;
  return LongCtor ? LongCtor.fromString(x.toString()) : Number(x);
}

/**
 * The node suite stores sequence and optional inputs/outputs as SequenceProto/OptionalProto, which
 * onnx-proto's schema lacks; their few fields are read here by field number (onnx.proto3).
 */
import protobuf from 'protobufjs/minimal.js';
import type { RuntimeValue } from '../../../src/backend/value.js';
import type { Tensor } from '../../../src/ir/tensor.js';
import { decodeTensor } from '../../../src/onnx/import.js';

/** SequenceProto: 3 = tensor_values (repeated TensorProto). */
export function decodeSequence(bytes: Uint8Array): Tensor[] {
  const out: Tensor[] = [];
  const r = protobuf.Reader.create(bytes);
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 === 3) out.push(decodeTensor(r.bytes()));
    else r.skipType(tag & 7);
  }
  return out;
}

/** OptionalProto: 3 = tensor_value, 5 = sequence_value; neither present = empty. */
export function decodeOptional(bytes: Uint8Array): RuntimeValue {
  let value: RuntimeValue = null;
  const r = protobuf.Reader.create(bytes);
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 === 3) value = decodeTensor(r.bytes());
    else if (tag >>> 3 === 5) value = decodeSequence(r.bytes());
    else r.skipType(tag & 7);
  }
  return value;
}

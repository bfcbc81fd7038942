/**
 * Typed arrays need their byte offset to be a multiple of the element size, and most raw_data
 * fields of a model file are not so placed: viewing them would mean a copy of nearly every weight.
 * When the importer owns the file's bytes (it read the file itself), a misaligned raw_data moves
 * back by its misalignment into the bytes just before it: its own field tag and length, already
 * decoded and read by nothing else. Byte offsets are taken within the underlying ArrayBuffer,
 * which is what typed arrays need.
 */

/** TensorProto.raw_data is field 9 with wire type 2 (length-delimited): its tag is this one byte. */
const RAW_DATA_TAG = (9 << 3) | 2;

/**
 * `raw` moved (within `file`, which it views) to an offset that is a multiple of `width`, or null
 * when the field header before it is too short to take the shift or is not the header expected.
 */
export function alignRawDataInPlace(raw: Uint8Array, width: number, file: Uint8Array): Uint8Array | null {
  const shift = raw.byteOffset % width;
  if (shift === 0) return raw;
  if (raw.buffer !== file.buffer || raw.byteOffset < file.byteOffset || raw.byteOffset + raw.byteLength > file.byteOffset + file.byteLength) return null;
  if (headerLength(file, raw.byteOffset - file.byteOffset, raw.byteLength) < shift) return null;
  const whole = new Uint8Array(raw.buffer);
  whole.copyWithin(raw.byteOffset - shift, raw.byteOffset, raw.byteOffset + raw.byteLength);
  return new Uint8Array(raw.buffer, raw.byteOffset - shift, raw.byteLength);
}

/**
 * Bytes of the raw_data field header that ends at `at` in `file` (tag, then the length as a
 * varint), or 0 unless those bytes are exactly that header for `length`: the shift overwrites
 * only bytes proven to be this field's own.
 */
function headerLength(file: Uint8Array, at: number, length: number): number {
  const varint = varintBytes(length);
  const start = at - varint - 1;
  if (start < 0 || file[start] !== RAW_DATA_TAG) return 0;
  let value = 0;
  for (let i = 0, scale = 1; i < varint; i++, scale *= 128) {
    const byte = file[start + 1 + i];
    if ((byte & 0x80) !== (i < varint - 1 ? 0x80 : 0)) return 0;
    value += (byte & 0x7f) * scale;
  }
  return value === length ? varint + 1 : 0;
}

function varintBytes(n: number): number {
  let bytes = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    bytes++;
  }
  return bytes;
}

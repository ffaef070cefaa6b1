/** Taking a `.rewind` file apart into its chunks, and writing chunks with valid checksums, for fuzzing. */
import { crc32 } from '../../emulator/replay/checksum';
import { MAGIC } from '../../emulator/replay/recording-format';
import { ByteWriter } from '../../emulator/replay/bytes';

export interface ChunkSpan {
  type: string;
  /** Offset of the type byte. */
  start: number;
  /** Offset of the payload, and one past it (where the checksum is). */
  payload: number;
  end: number;
}

export function chunkSpans(file: Uint8Array): ChunkSpan[] {
  const spans: ChunkSpan[] = [];
  let offset = MAGIC.length;
  while (offset + 9 <= file.length) {
    const length = new DataView(file.buffer, file.byteOffset + offset + 1, 4).getUint32(0, true);
    spans.push({ type: String.fromCharCode(file[offset]), start: offset, payload: offset + 5, end: offset + 5 + length });
    offset += 9 + length;
  }
  return spans;
}

/** Rewrites the checksum of the chunk, so that the reader looks past it into the payload. */
export function fixChecksum(file: Uint8Array, span: ChunkSpan): void {
  new DataView(file.buffer, file.byteOffset + span.end, 4).setUint32(0, crc32(file, span.start, span.end), true);
}

export function chunk(type: string, payload: Uint8Array): Uint8Array {
  const body = new ByteWriter().byte(type.charCodeAt(0)).u32(payload.length).bytes(payload).finish();
  return new ByteWriter().bytes(body).u32(crc32(body)).finish();
}

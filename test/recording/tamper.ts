/**
 * Recordings to tamper with: a program that reads one console byte, keeps it, and then counts down in
 * memory for about 36 million steps, so that its recording has checkpoints (state hashes) at steps 16,000,000
 * and 32,000,000 besides the end; and a way to write a changed recording back with valid checksums.
 */
import { assemble } from '../support/toolchain';
import { encodeCheckpoint, encodeEnd, encodeEvents, encodeHeader, Recording } from '../../emulator/replay/recording-format';
import { CHECKPOINT_INTERVAL } from '../../emulator/replay/recorder';
import { PASS_AND_WAIT, Program } from '../engine/programs';
import { concat, record, Recorded } from '../engine/record';

const SOURCE = `
  li a0, 7              # SYS_READC
  li a1, 0
  .option push
  .option norvc
  slli x0, x0, 0x1f
  ebreak
  srai x0, x0, 7
  .option pop
  la t1, kept
  sw a0, 0(t1)
  li t0, 12000000
1:
  addi t0, t0, -1
  sw t0, 4(t1)          # memory written all along: a checkpoint at every interval, none skipped as quiet
  bnez t0, 1b
  ${PASS_AND_WAIT}
  .data
  .align 4
kept: .word 0, 0
`;

export const FIRST_CHECKPOINT = CHECKPOINT_INTERVAL;

let cached: Recorded | undefined;
/** The recording of the program with input "A" (made once per test file). */
export function longRecording(): Recorded {
  if (!cached) {
    const program: Program = { name: 'keeps-a-byte.elf', elf: assemble(SOURCE), input: new TextEncoder().encode('A') };
    cached = record(program);
  }
  return cached;
}

/** A copy of a recording, for changing. */
export function copyRecording(r: Recording): Recording {
  return { ...r, events: r.events.map((e) => ({ ...e })), checkpoints: r.checkpoints.map((c) => ({ ...c })), end: r.end && { ...r.end } };
}

/** The `.rewind` file of a recording: every chunk with a valid checksum. */
export function encodeRecording(r: Recording): Uint8Array {
  const parts = [encodeHeader(r)];
  if (r.events.length) parts.push(encodeEvents(r.events, 0));
  for (const c of r.checkpoints) parts.push(encodeCheckpoint(c));
  if (r.end) parts.push(encodeEnd(r.end, r.end.reason));
  return concat(parts);
}

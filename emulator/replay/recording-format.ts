/**
 * The `.rewind` recording file.
 *
 *   file    = magic "REWIND1\n" (8 bytes), then chunks, appended in order and never rewritten
 *   chunk   = type (1 byte) | payload length (u32 LE) | payload | CRC-32 of type, length and payload (u32 LE)
 *   'H'     header, always first: varint format version | blob meta (JSON: machine configuration,
 *           program name, command line, time of recording) | blob program ELF image | blob SHA-256 of
 *           the image (hex). The command line is what semihosting SYS_GET_CMDLINE answers (the guest
 *           sees it, so a replay must answer the same); recordings without one used the program name.
 *   'E'     input events, one or more per chunk: see input-events.ts
 *   'P'     checkpoint: varint step | blob state hash — how far the recording is known to reach
 *   'Z'     end: varint step | blob state hash | blob JSON stop reason — the recorder finished cleanly
 *
 * Only values from outside the guest are logged, each with the step it arrived at; at most one per step
 * (an instruction asks the outside at most once). Timer interrupts, mtime and the semihosting clocks
 * follow the step count and cost nothing.
 *
 * A recorder that dies leaves complete chunks followed perhaps by a torn one: the reader keeps every
 * chunk before the first that is torn, has a bad checksum or makes no sense, and says so. Every length
 * is bounded before anything is allocated, because a recording may come from anyone.
 */
import { ByteReader, ByteWriter, FormatError } from './bytes';
import { crc32 } from './checksum';
import { encodeEventPayloads, EventDecoder, InputEvent } from './input-events';
import { MachineConfig } from '../machine';
import { ElfImage, parseElf } from '../elf';
import { sha256Hex } from './sha256';

export const MAGIC = new TextEncoder().encode('REWIND1\n');
export const FORMAT_VERSION = 1;
/** The limits the reader enforces and the writer keeps to (input events have theirs in input-events.ts). */
export const MAX_CHUNK = 64 << 20;
const MAX_META = 1 << 16;
const MAX_HASH = 128;
const MAX_REASON = 4096;
/** The program travels in the header chunk with its meta and hash. */
export const MAX_PROGRAM = MAX_CHUNK - MAX_META - MAX_HASH - 64;

export type { InputEvent } from './input-events';

export interface RecordingHeader {
  config: MachineConfig;
  programName: string;
  /** What the guest reads as its command line (semihosting SYS_GET_CMDLINE). */
  commandLine: string;
  recordedAt: string;
  program: Uint8Array;
  programHash: string;
}

export interface Checkpoint {
  step: number;
  hash: string;
}

/**
 * The end reason of a run that its command stopped from outside, not the program (`rewind record` told
 * to stop by SIGINT, SIGTERM or SIGHUP, or whose output's reader went away): `status` is the exit status
 * that command gave (128 + the signal's number), which a replay of the recording gives too.
 */
export interface StoppedRun {
  kind: 'stopped';
  message: string;
  status: number;
}

export interface Recording extends RecordingHeader {
  events: InputEvent[];
  checkpoints: Checkpoint[];
  /** Present when the recorder finished cleanly. */
  end?: Checkpoint & { reason: unknown };
  /** The last step the recording is known to reach. */
  lastStep: number;
  /** Empty for a complete file; otherwise what was recovered and why the rest was dropped. */
  recovery: string;
  /**
   * Why the reader stopped before the end of the file, when the file is damaged rather than cut short
   * (a bad checksum, a chunk that makes no sense); absent for a complete file or a torn last chunk.
   */
  damage?: string;
  /** Set when the program stored in the header does not match the hash stored beside it (the file was altered). */
  programMismatch?: string;
  sizeBytes: number;
}

export class RecordingError extends Error {
  override name = 'RecordingError'; // the command line tells errors by name (cli/main.ts)
}

// ---- writing ----

/** A chunk's bytes besides its payload: type and length before it, CRC after. */
const CHUNK_HEAD = 5;
const CHUNK_FRAME = CHUNK_HEAD + 4;
/** The most bytes a varint of a length below 2^35 takes (ByteWriter.varint). */
const LENGTH_VARINT = 5;

/**
 * Starts a chunk at the end of `w`: its type, and room for its payload's length, which `closeChunk`
 * fills in once the payload follows. Returns where the chunk starts. Each encoder below writes its
 * chunks straight into one writer made large enough, whose bytes it returns without a copy: a header
 * holds the whole program (114 KB for examples/hello), which went through five buffers of its size or
 * twice it when each part had its own writer and the chunk its own buffer.
 */
function openChunk(w: ByteWriter, type: string): number {
  const start = w.length;
  w.byte(type.charCodeAt(0)).u32(0);
  return start;
}

/** Ends the chunk opened at `start`: its payload length, then the CRC-32 of the chunk so far (u32 LE). */
function closeChunk(w: ByteWriter, start: number): void {
  w.setU32(start + 1, w.length - start - CHUNK_HEAD);
  w.u32(crc32(w.view(), start));
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

/** The header chunk, after the magic; refused (RecordingError) when its reader could not read it back. */
export function encodeHeader(h: RecordingHeader): Uint8Array {
  const meta = json({ config: h.config, programName: h.programName, commandLine: h.commandLine, recordedAt: h.recordedAt });
  const hash = new TextEncoder().encode(h.programHash);
  if (h.program.length > MAX_PROGRAM) {
    throw new RecordingError(`the program is ${h.program.length.toLocaleString('en-US')} bytes; a recording holds programs of up to ${MAX_PROGRAM.toLocaleString('en-US')} bytes`);
  }
  if (meta.length > MAX_META) throw new RecordingError(`the program's name and command line are too long to record (${meta.length} bytes; the limit is ${MAX_META})`);
  if (hash.length > MAX_HASH) throw new RecordingError('the program hash is too long to record');
  const w = new ByteWriter(MAGIC.length + CHUNK_FRAME + 4 * LENGTH_VARINT + meta.length + h.program.length + hash.length);
  w.bytes(MAGIC);
  const start = openChunk(w, 'H');
  w.varint(FORMAT_VERSION).blob(meta).blob(h.program).blob(hash);
  closeChunk(w, start);
  return w.view();
}

/** Encodes events as one or more chunks; `previousStep` is the step of the last event already in the file (0 if none). */
export function encodeEvents(events: readonly InputEvent[], previousStep: number): Uint8Array {
  const w = new ByteWriter();
  encodeEventPayloads(events, previousStep, (count, body) => {
    const start = openChunk(w, 'E');
    w.varint(count).bytes(body.view());
    closeChunk(w, start);
  });
  return w.view();
}

/**
 * A checkpoint chunk. The recorder makes one every 16M steps with its code and data pushed out of the
 * caches by the guest: one buffer of the chunk's size, and a hex hash (every hash) written without a
 * TextEncoder, no regular expression either (those, with a writer per part, cost ~50 µs).
 */
export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const { step, hash } = c;
  let ascii = hash.length < 0x80;
  for (let i = 0; i < hash.length && ascii; i++) if (hash.charCodeAt(i) >= 0x80) ascii = false;
  const w = new ByteWriter(CHUNK_FRAME + 8 + LENGTH_VARINT + 3 * hash.length);
  const start = openChunk(w, 'P');
  w.varint(step);
  if (ascii) {
    w.byte(hash.length).ascii(hash);
  } else {
    w.blob(new TextEncoder().encode(hash));
  }
  closeChunk(w, start);
  return w.view();
}

export function encodeEnd(c: Checkpoint, reason: unknown): Uint8Array {
  let stop = json(reason);
  // The reader takes a stop reason of up to MAX_REASON bytes: a longer message is cut, never the file.
  if (stop.length > MAX_REASON) {
    const r = reason as { kind?: unknown; message?: unknown };
    stop = json({ kind: String(r?.kind ?? 'stopped'), message: String(r?.message ?? '').slice(0, MAX_REASON / 4) });
  }
  const hash = new TextEncoder().encode(c.hash);
  const w = new ByteWriter(CHUNK_FRAME + 8 + 2 * LENGTH_VARINT + hash.length + stop.length);
  const start = openChunk(w, 'Z');
  w.varint(c.step).blob(hash).blob(stop);
  closeChunk(w, start);
  return w.view();
}

// ---- reading ----

export function decodeRecording(file: Uint8Array): Recording {
  if (file.length < MAGIC.length || MAGIC.some((b, i) => file[i] !== b)) {
    throw new RecordingError('not a Rewind recording (bad magic)');
  }
  let offset = MAGIC.length;
  const chunks: Array<{ type: string; payload: Uint8Array }> = [];
  let problem = '';
  while (offset < file.length) {
    if (file.length - offset < 9) { problem = `the last chunk is torn (${file.length - offset} bytes)`; break; }
    const view = new DataView(file.buffer, file.byteOffset + offset);
    const type = String.fromCharCode(file[offset]);
    const length = view.getUint32(1, true);
    if (length > MAX_CHUNK) { problem = `chunk ${chunks.length + 1} claims ${length} bytes`; break; }
    if (file.length - offset < 9 + length) { problem = `the last chunk is torn (${file.length - offset} of ${9 + length} bytes)`; break; }
    const stored = view.getUint32(5 + length, true);
    if (crc32(file, offset, offset + 5 + length) !== stored) { problem = `chunk ${chunks.length + 1} has a bad checksum`; break; }
    chunks.push({ type, payload: file.subarray(offset + 5, offset + 5 + length) });
    offset += 9 + length;
  }
  if (chunks.length === 0 || chunks[0].type !== 'H') {
    throw new RecordingError(`the recording has no readable header${problem ? `: ${problem}` : ''}`);
  }
  const header = decodeHeader(chunks[0].payload);
  const recording: Recording = { ...header, events: [], checkpoints: [], lastStep: 0, recovery: '', sizeBytes: file.length };
  const actualHash = sha256Hex(header.program);
  if (actualHash !== header.programHash) {
    recording.programMismatch = `the program stored in the recording is not the one recorded: its sha256 is ${actualHash}, ` +
      `the header says ${header.programHash || 'nothing'}, so the file was altered after recording and what it shows cannot be trusted`;
  }
  const events = new EventDecoder();
  let used = 1;
  try {
    for (const c of chunks.slice(1)) {
      if (recording.end) throw new FormatError(`a ${c.type} chunk follows the end chunk`);
      const r = new ByteReader(c.payload, `chunk ${used + 1}`);
      if (c.type === 'E') {
        // A chunk counts only if all of it decodes. (A loop, not push(...batch): a chunk may hold 100,000s.)
        for (const e of events.chunk(c.payload, `chunk ${used + 1}`)) recording.events.push(e);
        events.commit();
      } else if (c.type === 'P' || c.type === 'Z') {
        const step = checkStep(r.varint(), `chunk ${used + 1}`);
        // Checkpoints only move forward, and the end is at or after the last of them.
        const previous = recording.checkpoints.at(-1)?.step ?? 0;
        if (c.type === 'P' ? step <= previous && recording.checkpoints.length > 0 : step < previous) {
          throw new FormatError(`chunk ${used + 1} puts a checkpoint at step ${step}, before the one at step ${previous}`);
        }
        if (events.unfinishedInputStep !== undefined) throw new FormatError(`chunk ${used + 1}: the console input at step ${events.unfinishedInputStep} is cut off`);
        const hash = new TextDecoder().decode(r.blob(64));
        if (c.type === 'P') recording.checkpoints.push({ step, hash });
        else recording.end = { step, hash, reason: JSON.parse(new TextDecoder().decode(r.blob(MAX_REASON))) };
      } else {
        throw new FormatError(`unknown chunk type "${c.type}"`);
      }
      used++;
    }
  } catch (e) {
    if (!(e instanceof FormatError || e instanceof SyntaxError)) throw e;
    problem = e.message;
  }
  if (problem && !problem.startsWith('the last chunk is torn')) recording.damage = problem;
  const lastCheckpoint = recording.checkpoints.at(-1)?.step ?? 0;
  recording.lastStep = recording.end?.step ?? Math.max(lastCheckpoint, recording.events.at(-1)?.step ?? 0);
  if (problem || !recording.end) {
    recording.recovery = `recovered ${used} of ${chunks.length + (problem ? 1 : 0)} chunks up to step ${recording.lastStep.toLocaleString('en-US')}` +
      (problem ? `: ${problem}` : ': the recorder did not finish (no end chunk)');
  }
  return recording;
}

/** A step as the engine counts them: a safe integer (a varint can hold more). */
function checkStep(step: number, where: string): number {
  if (!Number.isSafeInteger(step)) throw new FormatError(`${where} names step ${step}, beyond any recording`);
  return step;
}

function decodeHeader(payload: Uint8Array): RecordingHeader {
  const r = new ByteReader(payload, 'the header');
  try {
    const version = r.varint();
    if (version !== FORMAT_VERSION) {
      throw new RecordingError(`recording format version ${version} is not supported (this Rewind reads version ${FORMAT_VERSION})`);
    }
    const meta = JSON.parse(new TextDecoder().decode(r.blob(MAX_META))) as Record<string, unknown> | null;
    const program = r.blob(MAX_PROGRAM);
    const programHash = new TextDecoder().decode(r.blob(MAX_HASH));
    const config = checkConfig(meta?.config);
    checkProgram(program, config);
    const programName = String(meta?.programName ?? 'program');
    const commandLine = typeof meta?.commandLine === 'string' ? meta.commandLine : programName;
    return { config, programName, commandLine, recordedAt: String(meta?.recordedAt ?? ''), program, programHash };
  } catch (e) {
    if (e instanceof RecordingError) throw e;
    throw new RecordingError(`the recording's header is damaged: ${(e as Error).message}`);
  }
}

function checkConfig(value: unknown): MachineConfig {
  if (value === undefined || value === null) throw new RecordingError('the recording\'s header has no machine configuration');
  const c = value as Partial<MachineConfig> | undefined;
  const ok = c !== undefined && c !== null
    && Number.isInteger(c.ramBase) && c.ramBase! >= 0 && c.ramBase! < 2 ** 32 && c.ramBase! % 4096 === 0
    && Number.isInteger(c.ramSize) && c.ramSize! > 0 && c.ramSize! <= 1 << 30 && c.ramSize! % 4096 === 0
    && Number.isInteger(c.stepsPerTick) && c.stepsPerTick! > 0 && c.stepsPerTick! <= 1_000_000;
  if (!ok) throw new RecordingError(`the recording's machine configuration is invalid: ${JSON.stringify(value)}`);
  return { ramBase: c.ramBase!, ramSize: c.ramSize!, stepsPerTick: c.stepsPerTick! };
}

/**
 * The header's program as parsed when the recording was read: the engine loads that image, so a replay
 * parses the ELF once, not twice (~1-6 ms of a fresh process for a 114-350 KB ELF with its symbols).
 */
const parsedPrograms = new WeakMap<Uint8Array, ElfImage>();

/** The recording's program, parsed (once per recording read). */
export function programImage(program: Uint8Array): ElfImage {
  return parsedPrograms.get(program) ?? parseElf(program);
}

/** The program must be a RISC-V ELF that fits the recorded machine's RAM: the engine loads it as it is. */
function checkProgram(program: Uint8Array, config: MachineConfig): void {
  let image;
  try {
    image = parseElf(program);
  } catch (e) {
    throw new RecordingError(`the recording's program cannot run: ${(e as Error).message}`);
  }
  parsedPrograms.set(program, image);
  const ramEnd = config.ramBase + config.ramSize;
  for (const segment of image.segments) {
    if (segment.memsz === 0) continue;
    if (segment.paddr < config.ramBase || segment.paddr + segment.memsz > ramEnd) {
      throw new RecordingError(`the recording's program cannot run: a segment at 0x${segment.paddr.toString(16)} ` +
        `(${segment.memsz} bytes) is outside the recorded machine's RAM (0x${config.ramBase.toString(16)}–0x${(ramEnd - 1).toString(16)})`);
    }
  }
}

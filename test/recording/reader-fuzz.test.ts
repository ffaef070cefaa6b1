/**
 * The reader of `.rewind` files against damaged and hostile input: truncation at every byte, thousands
 * of seeded random mutations (with checksums left wrong and made right again, so that the decoder
 * behind the checksum is reached), huge length fields, wrong magic and version, a program that is not
 * a RISC-V ELF. The reader answers with the recovered prefix or a RecordingError: it never throws
 * anything else, never hangs, and never allocates what a length field merely claims.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ByteWriter } from '../../emulator/replay/bytes';
import { decodeRecording, encodeHeader, MAGIC, Recording, RecordingError } from '../../emulator/replay/recording-format';
import { EngineError, ReplayEngine } from '../../emulator/replay/engine';
import { ReplayDivergence } from '../../emulator/replay/replay-outside';
import { ReplayDivergenceError } from '../../emulator/replay/snapshots';
import { outsideProgram } from '../engine/programs';
import { concat, record } from '../engine/record';
import { Prng } from '../engine/prng';
import { chunk, chunkSpans, fixChecksum } from './chunks';
import { copyRecording, encodeRecording } from './tamper';

/** A small real recording: a few KB of program, every kind of event, one per chunk, and the end. */
function small(): { file: Uint8Array; recording: Recording } {
  const { file, recording } = record(outsideProgram('ab\n', 'x.'));
  return { file, recording };
}

/** Decodes, and fails the test on anything but a recording or a RecordingError. */
function decodeOrError(file: Uint8Array, what: string): Recording | RecordingError {
  try {
    return decodeRecording(file);
  } catch (e) {
    if (e instanceof RecordingError) {
      assert.ok(e.message.length > 10 && !/\bundefined\b|\bNaN\b|\[object/.test(e.message), `${what}: an unhelpful message: ${e.message}`);
      return e;
    }
    assert.fail(`${what}: the reader threw ${(e as Error).name}: ${(e as Error).message}`);
  }
}

test('truncated at every byte: a clear error before the header is whole, the recovered prefix after', () => {
  const { file, recording } = small();
  assert.ok(recording.events.length >= 5 && recording.end);
  const headerEnd = chunkSpans(file)[0].end + 4;
  let recovered = 0;
  for (let k = 0; k < file.length; k++) {
    const result = decodeOrError(file.subarray(0, k), `the first ${k} bytes`);
    if (k < headerEnd) {
      assert.ok(result instanceof RecordingError, `the first ${k} bytes decoded without a whole header`);
      continue;
    }
    assert.ok(!(result instanceof RecordingError), `the first ${k} bytes hold the header, yet: ${(result as Error).message}`);
    recovered++;
    assert.equal(result.end, undefined);
    assert.match(result.recovery, /^recovered \d+ of \d+ chunks up to step [\d,]+: /);
    assert.deepEqual(result.events, recording.events.slice(0, result.events.length), `the first ${k} bytes: the events are not a prefix`);
    assert.ok(result.lastStep <= recording.lastStep);
  }
  assert.ok(recovered > 50);
  assert.equal(decodeRecording(file).recovery, '', 'the whole file is complete');
});

test('a truncated recording opens in the engine, which replays the recovered prefix', async () => {
  const { file, recording } = small();
  const spans = chunkSpans(file);
  const cut = decodeRecording(file.subarray(0, spans[spans.length - 3].end + 2));
  assert.ok(cut.lastStep > 0 && cut.lastStep < recording.lastStep);
  const engine = new ReplayEngine(cut);
  assert.equal((await engine.run('forward')).reason, 'end');
  assert.equal(engine.step, cut.lastStep);
});

const ALLOWED_ENGINE_ERRORS = [EngineError, ReplayDivergence, ReplayDivergenceError, RecordingError];

test('thousands of random mutations: the reader recovers or refuses, and what it accepts replays safely', async (t) => {
  const { file, recording } = small();
  const spans = chunkSpans(file);
  const prng = new Prng(0xf0220);
  const outcomes = { refused: 0, recovered: 0, complete: 0, replayed: 0 };
  for (let i = 0; i < 3000; i++) {
    const mutated = file.slice();
    const fixChecksums = i % 2 === 1;
    // Half of the checksum-fixed cases aim at the log chunks after the header (small, dense with meaning).
    const inLog = fixChecksums && prng.below(2) === 0;
    const from = inLog ? spans[1].start : 0;
    const positions: number[] = [];
    for (let n = prng.between(1, 4); n > 0; n--) {
      const at = prng.between(from, mutated.length - 1);
      mutated[at] = prng.below(4) === 0 ? mutated[at] ^ (1 << prng.below(8)) : prng.below(256);
      positions.push(at);
    }
    if (fixChecksums) {
      for (const span of spans) if (positions.some((p) => p >= span.payload && p < span.end)) fixChecksum(mutated, span);
    }
    const what = `mutation ${i} at ${positions.join(', ')}`;
    const result = decodeOrError(mutated, what);
    if (result instanceof RecordingError) { outcomes.refused++; continue; }
    if (result.recovery) outcomes.recovered++; else outcomes.complete++;
    assert.ok(Number.isSafeInteger(result.lastStep) && result.lastStep >= 0, `${what}: last step ${result.lastStep}`);
    // Replay what was accepted, when it is as small as the original (a hostile file may claim any length
    // of run; replaying a claimed billion steps is the user's choice, not the reader's).
    // Every third accepted case, up to 300: each replay sets up a machine with 8 MiB of RAM.
    if (i % 3 === 0 && outcomes.replayed < 300 && result.lastStep <= 2 * recording.lastStep && JSON.stringify(result.config) === JSON.stringify(recording.config)) {
      try {
        const engine = new ReplayEngine(result, { snapshotInterval: 64 });
        await engine.seek(result.lastStep);
        await engine.run('backward');
        outcomes.replayed++;
      } catch (e) {
        assert.ok(ALLOWED_ENGINE_ERRORS.some((c) => e instanceof c), `${what}: the engine threw ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
  }
  // The checksums catch what is not fixed; the decoder behind them sees the rest.
  t.diagnostic(`outcomes of 3000 mutations: ${JSON.stringify(outcomes)}`);
  assert.ok(outcomes.refused > 100 && outcomes.recovered > 500 && outcomes.replayed > 100, JSON.stringify(outcomes));
});

/** A file with the real header and then one crafted chunk with a valid checksum. */
function withChunk(type: string, payload: Uint8Array): Uint8Array {
  const { recording } = small();
  return concat([encodeHeader(recording), chunk(type, payload)]);
}

test('huge length fields are refused before anything is allocated', () => {
  const before = process.memoryUsage().arrayBuffers;
  const { file } = small();
  const header = chunkSpans(file)[0];
  const cases: Array<{ what: string; file: Uint8Array; problem: RegExp }> = [
    { what: 'a chunk claiming 4 GiB', file: concat([file.subarray(0, header.end + 4), new Uint8Array([0x45, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7])]), problem: /chunk 2 claims 4294967295 bytes/ },
    { what: '2^40 events', file: withChunk('E', new ByteWriter().varint(2 ** 40).finish()), problem: /claims 1099511627776 events/ },
    { what: 'a console input of 1 GiB', file: withChunk('E', new ByteWriter().varint(1).varint(5).byte(1).varint(2 ** 30).finish()), problem: /field of 1073741824 bytes \(limit 1048576\)/ },
    { what: 'a varint that never ends', file: withChunk('E', new Uint8Array(12).fill(0xff)), problem: /number that is too long/ },
    { what: 'a step past 2^53', file: withChunk('P', new ByteWriter().varint(0).finish().length ? concat([new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), new ByteWriter().blob(new Uint8Array(16)).finish()]) : new Uint8Array()), problem: /names step \d+, beyond any recording/ },
    { what: 'a checkpoint hash of 2^35 bytes', file: withChunk('P', new ByteWriter().varint(10).varint(2 ** 35).finish()), problem: /field of 34359738368 bytes \(limit 64\)/ },
  ];
  for (const c of cases) {
    const r = decodeOrError(c.file, c.what);
    assert.ok(!(r instanceof RecordingError), `${c.what}: the header is fine, the prefix should be recovered`);
    assert.match(r.recovery, c.problem, c.what);
  }
  const header2 = new ByteWriter().varint(1).blob(new TextEncoder().encode('{}')).varint(2 ** 40).finish();
  const e = decodeOrError(concat([MAGIC, chunk('H', header2)]), 'a program of 2^40 bytes');
  assert.ok(e instanceof RecordingError);
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 << 20, 'the reader allocated what a length field claimed');
});

test('wrong magic, an unknown version, and a header that is not a header: clear errors', () => {
  const { file, recording } = small();
  const magic = file.slice();
  magic[6] = 0x32; // REWIND2
  assert.throws(() => decodeRecording(magic), (e: unknown) => e instanceof RecordingError && e.message === 'not a Rewind recording (bad magic)');
  assert.throws(() => decodeRecording(new Uint8Array(0)), /not a Rewind recording/);
  const version = new ByteWriter().varint(2).blob(new TextEncoder().encode('{}')).finish();
  assert.throws(() => decodeRecording(concat([MAGIC, chunk('H', version)])), /recording format version 2 is not supported \(this Rewind reads version 1\)/);
  assert.throws(() => decodeRecording(concat([MAGIC, chunk('E', new Uint8Array([0]))])), /the recording has no readable header/);
  const nullMeta = new ByteWriter().varint(1).blob(new TextEncoder().encode('null')).blob(recording.program).blob(new Uint8Array(0)).finish();
  assert.throws(() => decodeRecording(concat([MAGIC, chunk('H', nullMeta)])), /the recording's header has no machine configuration/);
  const badConfig = { ...recording, config: { ramBase: 0x80000000, ramSize: 12345, stepsPerTick: 100 } };
  assert.throws(() => decodeRecording(encodeRecording(badConfig)), /the recording's machine configuration is invalid/);
});

test('a header whose program is not a RISC-V ELF, or does not fit the machine, is refused', () => {
  const { recording } = small();
  const hostElf = readFileSync(process.execPath).subarray(0, 1 << 16); // this machine's node: an ELF, not RISC-V
  const cases: Array<[string, Recording, RegExp]> = [
    ['random bytes', { ...copyRecording(recording), program: new Uint8Array(300).fill(7) }, /the recording's program cannot run: not an ELF file \(bad magic\)/],
    ['the host\'s own executable', { ...copyRecording(recording), program: hostElf }, /the recording's program cannot run: (not a RISC-V ELF|64-bit ELF files are not supported)/],
    ['a RISC-V program outside RAM', { ...copyRecording(recording), config: { ramBase: 0x40000000, ramSize: 1 << 20, stepsPerTick: 100 } }, /the recording's program cannot run: a segment at 0x80000000 .* is outside the recorded machine's RAM \(0x40000000–0x400fffff\)/],
  ];
  for (const [what, r, message] of cases) {
    assert.throws(() => decodeRecording(encodeRecording(r)), (e: unknown) => e instanceof RecordingError && message.test(e.message), what);
  }
});

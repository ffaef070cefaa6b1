/**
 * Fuzzing recordings (issue 20): real recordings — examples/bug/bug.rewind, the interactive example with
 * its input (many input events), and a guest's 3 MiB read (a console input stored in parts) — truncated,
 * bit-flipped (checksums left wrong or made right) and with whole chunks dropped, repeated or swapped.
 * Each goes through the reader, the engine's open and replay, the adapter's launch, and a sample through
 * the real command line (`info`, `replay`). Each answers with the recovered prefix or one clear sentence,
 * never another exception or a stack trace, within a bounded time. Seeded; see fuzz-cases.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeRecording, Recording, RecordingError } from '../../emulator/replay/recording-format';
import { EngineError, ReplayEngine } from '../../emulator/replay/engine';
import { ReplayDivergence } from '../../emulator/replay/replay-outside';
import { ReplayDivergenceError } from '../../emulator/replay/snapshots';
import { launch, LaunchError } from '../../adapter/launch';
import { Prng } from '../engine/prng';
import { concat, record } from '../engine/record';
import { example, INTERACTIVE_INPUT } from '../engine/programs';
import { chunkSpans, fixChecksum } from '../recording/chunks';
import { EXAMPLES, rewind } from '../cli/rewind-cli';
import { BIG_READ, bigInput, bigReader } from './crafted';
import { assertSentence, fuzzCases, fuzzSeed, withinBound } from './fuzz-cases';

interface Source { name: string; file: Uint8Array; recording: Recording }

let cached: Source[] | undefined;
function sources(): Source[] {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'rewind-fuzz-'));
  const bug = readFileSync(join(EXAMPLES, 'bug/bug.rewind'));
  const interactive = record(example('interactive', INTERACTIVE_INPUT));
  const big = record({ name: 'big-read.elf', elf: readFileSync(bigReader(dir)), input: readFileSync(bigInput(dir)) });
  assert.equal(big.recording.events[0].kind === 'console' && big.recording.events[0].bytes.length, BIG_READ);
  cached = [
    { name: 'bug.rewind', file: bug, recording: decodeRecording(bug) },
    { name: 'interactive.rewind', file: interactive.file, recording: interactive.recording },
    { name: 'big-read.rewind', file: big.file, recording: big.recording },
  ];
  return cached;
}

/** One seeded change to a recording file; `what` says which, for the failure message. */
function mutate(file: Uint8Array, prng: Prng): { bytes: Uint8Array; what: string; truncated: boolean } {
  const spans = chunkSpans(file);
  const kind = prng.below(3);
  if (kind === 0) {
    // Near a chunk boundary half of the time, where the reader decides what to keep.
    const span = spans[prng.below(spans.length)];
    const at = prng.below(2) === 0 ? Math.max(0, span.start + prng.between(-12, 12)) : prng.below(file.length);
    return { bytes: file.subarray(0, Math.min(at, file.length)), what: `cut to ${at} bytes`, truncated: true };
  }
  if (kind === 1) {
    const bytes = Uint8Array.from(file);
    const fix = prng.below(2) === 0;
    // Aim at the log after the header half of the time: small, dense with meaning.
    const from = prng.below(2) === 0 && spans.length > 1 ? spans[1].start : 0;
    const positions: number[] = [];
    for (let n = prng.between(1, 4); n > 0; n--) {
      const at = prng.between(from, bytes.length - 1);
      bytes[at] = prng.below(2) === 0 ? bytes[at] ^ (1 << prng.below(8)) : prng.below(256);
      positions.push(at);
    }
    if (fix) for (const span of spans) if (positions.some((p) => p >= span.payload && p < span.end)) fixChecksum(bytes, span);
    return { bytes, what: `bytes changed at ${positions.join(', ')}${fix ? ' (checksums fixed)' : ''}`, truncated: false };
  }
  // Whole chunks, each with its valid checksum: dropped, repeated or swapped with the next.
  const pieces = [file.subarray(0, spans[0].start), ...spans.map((s) => file.subarray(s.start, s.end + 4))];
  const i = prng.between(1, pieces.length - 1);
  const edit = prng.below(3);
  if (edit === 0) pieces.splice(i, 1);
  else if (edit === 1) pieces.splice(i, 0, pieces[i]);
  else if (i + 1 < pieces.length) [pieces[i], pieces[i + 1]] = [pieces[i + 1], pieces[i]];
  return { bytes: concat(pieces), what: `chunk ${i} ${['dropped', 'repeated', 'swapped with the next'][edit]}`, truncated: false };
}

const ENGINE_ERRORS = [EngineError, ReplayDivergence, ReplayDivergenceError];

/** Reads `bytes`; a recording, or a RecordingError with a sentence, and nothing else. */
function read(bytes: Uint8Array, what: string): Recording | undefined {
  try {
    return decodeRecording(bytes);
  } catch (e) {
    if (!(e instanceof RecordingError)) assert.fail(`${what}: the reader threw ${(e as Error).stack}`);
    assertSentence(e.message, what);
    return undefined;
  }
}

function checkRecovered(r: Recording, original: Recording, truncated: boolean, what: string): void {
  assert.ok(Number.isSafeInteger(r.lastStep) && r.lastStep >= 0, `${what}: last step ${r.lastStep}`);
  if (r.recovery === '') assert.ok(r.end, `${what}: complete without an end`);
  else assert.match(r.recovery, /^recovered \d+ of \d+ chunks up to step [\d,]+: \S/, what);
  if (r.recovery) assertSentence(r.recovery, what);
  if (!truncated) return;
  // A cut file keeps a prefix of the events, each whole (an input stored in parts is all there or absent).
  assert.ok(r.events.length <= original.events.length, what);
  r.events.forEach((e, i) => {
    const o = original.events[i];
    assert.equal(e.step, o.step, `${what}: event ${i}`);
    assert.equal(e.kind, o.kind, `${what}: event ${i}`);
    if (e.kind === 'console' && o.kind === 'console') assert.equal(Buffer.compare(e.bytes, o.bytes), 0, `${what}: console input ${i} differs`);
  });
}

/** Opens the engine and replays what was recovered, when that is as small as the original. */
async function replay(r: Recording, original: Recording, what: string): Promise<void> {
  if (JSON.stringify(r.config) !== JSON.stringify(original.config) || r.lastStep > 2 * original.lastStep + 1000) return;
  try {
    const engine = new ReplayEngine(r, { snapshotMemoryBytes: 32 << 20 });
    await engine.run('forward');
    if (engine.step > 0) await engine.seek(Math.floor(engine.step / 2));
  } catch (e) {
    if (!ENGINE_ERRORS.some((c) => e instanceof c)) assert.fail(`${what}: the engine threw ${(e as Error).stack}`);
    assertSentence((e as Error).message, what);
  }
}

test('recordings truncated, bit-flipped and with chunks moved: a recovered prefix or a sentence, from the reader, the engine and the adapter', async (t) => {
  const cases = fuzzCases(0.5);
  const seed = fuzzSeed(20_001);
  const dir = mkdtempSync(join(tmpdir(), 'rewind-fuzz-'));
  const outcomes = { refused: 0, recovered: 0, complete: 0, replayed: 0, launched: 0 };
  for (let i = 0; i < cases; i++) {
    const prng = new Prng(seed + i);
    // The 3 MiB one costs more per case: one case in eight.
    const source = sources()[i % 8 === 7 ? 2 : i % 2];
    const { bytes, what: change, truncated } = mutate(source.file, prng);
    const what = `case ${seed + i} (${source.name}, ${change})`;
    const started = process.hrtime.bigint();
    const r = read(bytes, what);
    if (r === undefined) outcomes.refused++;
    else {
      if (r.recovery) outcomes.recovered++; else outcomes.complete++;
      checkRecovered(r, source.recording, truncated, what);
      // The interactive recording runs in 8 MiB of RAM; bug.rewind in 128 MiB costs more to open.
      if (source.name === 'interactive.rewind' ? i % 3 === 0 : source.name === 'bug.rewind' && i % 16 === 0) {
        await replay(r, source.recording, what);
        outcomes.replayed++;
      }
    }
    // The adapter's launch reads the file from disk, opens the engine and says what was recovered.
    if (i % 20 === 0) {
      const path = join(dir, `case-${i}.rewind`);
      writeFileSync(path, bytes);
      try {
        const launched = launch({ recording: path }, { write: () => undefined });
        if (r?.recovery) assert.ok(launched.warnings.some((w) => w.includes(r.recovery)), `${what}: launch did not say ${r.recovery}`);
        outcomes.launched++;
      } catch (e) {
        if (!(e instanceof LaunchError || ENGINE_ERRORS.some((c) => e instanceof c))) assert.fail(`${what}: launch threw ${(e as Error).stack}`);
        assertSentence((e as Error).message, what);
      }
    }
    withinBound(started, what);
  }
  t.diagnostic(`${cases} cases from seed ${seed}: ${JSON.stringify(outcomes)}`);
  assert.ok(outcomes.refused > 0 && outcomes.recovered > 0 && outcomes.replayed > 0, JSON.stringify(outcomes));
});

test('through the command line: info and replay of damaged recordings end in a status and sentences, never a stack trace', () => {
  const cases = fuzzCases(0.004);
  const seed = fuzzSeed(20_002);
  const dir = mkdtempSync(join(tmpdir(), 'rewind-fuzz-cli-'));
  const statuses = new Map<string, number>();
  for (let i = 0; i < cases; i++) {
    const prng = new Prng(seed + i);
    const source = sources()[i % 2];
    const { bytes, what: change } = mutate(source.file, prng);
    const path = join(dir, `case-${seed + i}.rewind`);
    writeFileSync(path, bytes);
    for (const command of ['info', 'replay']) {
      const what = `rewind ${command} on case ${seed + i} (${source.name}, ${change})`;
      const r = rewind([command, path], { timeout: 60_000 });
      assert.ok(r.status === 0 || r.status === 1 || r.status === 3, `${what}: status ${r.status}\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n +at |internal error/, `${what}:\n${r.stderr}`);
      for (const line of r.stderr.split('\n').filter(Boolean)) {
        assert.match(line, /^rewind: /, `${what}: a line that is not ours: ${line}`);
        assertSentence(line, what);
      }
      if (r.status !== 0) assert.ok(r.stderr.length > 0, `${what}: a failure without a word`);
      statuses.set(`${command} ${r.status}`, (statuses.get(`${command} ${r.status}`) ?? 0) + 1);
    }
  }
  assert.ok(statuses.size > 1, JSON.stringify([...statuses]));
});

/**
 * A harness gives `rewind replay` the options it gave `rewind record` (as QEMU's rr=replay wants the
 * command line of its rr=record): the replay takes them and replays as without them (before: a usage
 * error, status 2, so the replay "differed" from its run). `--max-steps N` stops the replay of a longer
 * recording where `rewind run --max-steps N` stops: the same output, the same line, status 124.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EXAMPLES, ROOT, rewind, workDir } from './rewind-cli';

const TICKER = join(ROOT, 'test/privileged/ticker.elf');
const ARGS_ELF = join(EXAMPLES, 'args/args.elf');

test('replay takes the options its recording was made with (--max-steps, --stdin, --date, -- ARG…) and replays as without them', () => {
  const file = join(workDir(), 'args-same-options.rewind');
  const options = ['--max-steps', '1000000', '--stdin', '/dev/null', '--date', '2026-01-01T00:00:00Z', '--', '42', 'a b'];
  const recorded = rewind(['record', ARGS_ELF, '-o', file, ...options]);
  assert.equal(recorded.status, 0, recorded.stderr);
  const plain = rewind(['replay', file]);
  const same = rewind(['replay', file, '--verbose', ...options]);
  assert.equal(same.status, 0, same.stderr);
  assert.equal(same.stdout, recorded.stdout);
  assert.equal(same.stdout, plain.stdout);
  assert.match(same.stderr, /^rewind: replayed [\d,]+ steps; final state hash [0-9a-f]{16} matches$/m);
  assert.match(same.stderr, /--stdin changes nothing in a replay/);
  // Piped (a harness), without --verbose: what record said on stderr, byte for byte.
  assert.equal(rewind(['replay', file, ...options]).stderr, recorded.stderr);
});

test('replay --max-steps N of a longer recording stops where run --max-steps N stops, with the same output and status 124', () => {
  const file = join(workDir(), 'ticker-30m.rewind');
  assert.equal(rewind(['record', TICKER, '-o', file, '--max-steps', '30000000']).status, 124);
  const ran = rewind(['run', TICKER, '--max-steps', '12345678']);
  const replayed = rewind(['replay', file, '--max-steps', '12345678', '--verbose']);
  assert.equal(replayed.status, 124, replayed.stderr);
  assert.equal(ran.status, 124);
  assert.equal(replayed.stdout, ran.stdout);
  assert.match(replayed.stderr, /^rewind: replayed 12,345,678 of the recording's 30,000,000 steps \(--max-steps; \d+ checkpoints match\)$/m);
  const stopped = (stderr: string): string | undefined => /^rewind: stopped after --max-steps .*$/m.exec(stderr)?.[0];
  assert.equal(stopped(replayed.stderr), stopped(ran.stderr), 'the same line as run says');
  assert.equal(rewind(['replay', file, '--max-steps', '12345678']).stderr, ran.stderr, 'piped, without --verbose: what run says, byte for byte');
  // A limit at or past the recording's end changes nothing.
  const whole = rewind(['replay', file, '--max-steps', '40000000']);
  assert.equal(whole.status, 124);
  assert.equal(whole.stderr, rewind(['run', TICKER, '--max-steps', '30000000']).stderr);
});

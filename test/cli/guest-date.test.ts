/**
 * The guest's date (semihosting SYS_TIME: time(), gettimeofday()) is the host's at the start whatever the
 * input source (a --stdin file once froze it at 1970), recorded so that a replay sees the same, and
 * --date fixes it for reproducible runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EXAMPLES, ROOT, rewind, workDir } from './rewind-cli';
import { parseGuestDate } from '../../debugger/guest-date';

const ARGS_ELF = join(EXAMPLES, 'args/args.elf');
const timeOf = (stdout: string): number => Number(/^time (-?\d+)$/m.exec(stdout)?.[1]);

test('the date is the host\'s at the start, with or without --stdin, and a replay sees the recorded one', () => {
  const before = Math.floor(Date.now() / 1000);
  const withInput = rewind(['run', ARGS_ELF, '--stdin', join(ROOT, 'examples/interactive/input.txt')]);
  const fromTerminal = rewind(['run', ARGS_ELF]);
  const after = Math.floor(Date.now() / 1000);
  for (const run of [withInput, fromTerminal]) {
    assert.equal(run.status, 0, run.stderr);
    assert.ok(timeOf(run.stdout) >= before && timeOf(run.stdout) <= after, run.stdout);
  }
  const file = join(workDir(), 'date.rewind');
  const recorded = rewind(['record', ARGS_ELF, '-o', file]);
  const replayed = rewind(['replay', file]);
  assert.equal(replayed.status, 0, replayed.stderr);
  assert.equal(timeOf(replayed.stdout), timeOf(recorded.stdout));
});

test('--date fixes the date: ISO 8601 (UTC without an offset) or seconds since 1970', () => {
  assert.equal(timeOf(rewind(['run', ARGS_ELF, '--date', '2026-01-01T00:00:00']).stdout), 1767225600);
  assert.equal(timeOf(rewind(['run', ARGS_ELF, '--date', '2026-01-01T01:00:00+01:00']).stdout), 1767225600);
  assert.equal(timeOf(rewind(['run', ARGS_ELF, '--date', '1767225600', '--stdin', join(ROOT, 'examples/interactive/input.txt')]).stdout), 1767225600);
  const file = join(workDir(), 'fixed-date.rewind');
  assert.equal(timeOf(rewind(['record', ARGS_ELF, '-o', file, '--date', '2026-01-01']).stdout), 1767225600);
  assert.equal(timeOf(rewind(['replay', file]).stdout), 1767225600);
  const bad = rewind(['run', ARGS_ELF, '--date', 'yesterday']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--date: the date must be seconds since 1970 or an ISO 8601 date/);
});

test('dates outside what SYS_TIME can answer are refused', () => {
  assert.equal(parseGuestDate(0), 0);
  assert.equal(parseGuestDate('2106-02-07T06:28:15Z'), 2 ** 32 - 1);
  assert.throws(() => parseGuestDate('2106-02-07T06:28:16Z'), /between 1970 and 2106/);
  assert.throws(() => parseGuestDate(-1), /not -1/);
  assert.throws(() => parseGuestDate('2026-13-01'), /not "2026-13-01"/);
});

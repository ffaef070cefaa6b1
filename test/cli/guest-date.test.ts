/**
 * The guest's date (semihosting SYS_TIME: time(), gettimeofday()) is 2000-01-01 at the start whatever the
 * input source, so that a run and its recording see the same date (with the host's, a program that stores
 * the date ended in another state in every second); --date gives another, `now` the host's, and a
 * recording keeps it, so that a replay sees the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EXAMPLES, ROOT, rewind, workDir } from './rewind-cli';
import { parseGuestDate } from '../../debugger/guest-date';
import { LiveOutside } from '../../emulator/replay/live-outside';

const ARGS_ELF = join(EXAMPLES, 'args/args.elf');
const timeOf = (stdout: string): number => Number(/^time (-?\d+)$/m.exec(stdout)?.[1]);

const Y2K = 946684800; // 2000-01-01T00:00:00Z

test('without --date the date is 2000-01-01 at the start, with or without --stdin, in a run, its recording and its replay', () => {
  const withInput = rewind(['run', ARGS_ELF, '--stdin', join(ROOT, 'examples/interactive/input.txt')]);
  const fromTerminal = rewind(['run', ARGS_ELF]);
  const file = join(workDir(), 'date.rewind');
  const recorded = rewind(['record', ARGS_ELF, '-o', file]);
  const replayed = rewind(['replay', file]);
  for (const run of [withInput, fromTerminal, recorded, replayed]) {
    assert.equal(run.status, 0, run.stderr);
    assert.equal(timeOf(run.stdout), Y2K, run.stdout);
  }
});

test('a live session (F5 on a program, gdb, mcp) without a date starts at 2000-01-01 too', () => {
  assert.equal(new LiveOutside([], () => undefined).dateAtStart(0), Y2K);
});

test('--date now is the host\'s date at the start, and a replay sees the recorded one', () => {
  const before = Math.floor(Date.now() / 1000);
  const file = join(workDir(), 'now.rewind');
  const recorded = rewind(['record', ARGS_ELF, '-o', file, '--date', 'now']);
  const after = Math.floor(Date.now() / 1000);
  assert.equal(recorded.status, 0, recorded.stderr);
  assert.ok(timeOf(recorded.stdout) >= before && timeOf(recorded.stdout) <= after, recorded.stdout);
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
  assert.match(bad.stderr, /--date: the date must be "now", seconds since 1970 or an ISO 8601 date/);
});

test('dates outside what SYS_TIME can answer are refused', () => {
  assert.equal(parseGuestDate(0), 0);
  assert.equal(parseGuestDate('2106-02-07T06:28:15Z'), 2 ** 32 - 1);
  assert.throws(() => parseGuestDate('2106-02-07T06:28:16Z'), /between 1970 and 2106/);
  assert.throws(() => parseGuestDate(-1), /not -1/);
  assert.throws(() => parseGuestDate('2026-13-01'), /not "2026-13-01"/);
});

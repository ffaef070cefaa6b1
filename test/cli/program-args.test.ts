/**
 * A program's arguments (`rewind run prog.elf -- ARG…`) reach its argv through semihosting
 * SYS_GET_CMDLINE, the same under run, record and replay (which uses the command line stored in the
 * recording), and `info` shows them. Arguments with spaces are quoted as a shell would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EXAMPLES, rewind, workDir } from './rewind-cli';
import { commandLineOf } from '../../debugger/command-line';

const ARGS_ELF = join(EXAMPLES, 'args/args.elf');

test('the arguments after -- are the program\'s argv, the same in a run, a recording and its replay', () => {
  const ran = rewind(['run', ARGS_ELF, '--hash', '--', '42', '-n', 'seed=7']);
  assert.equal(ran.status, 0, ran.stderr);
  // picolibc 1.8's start-up names argv[0] "program-name" and puts the command line after it.
  assert.match(ran.stdout, /^argc 5\nargv\[0\] "program-name"\nargv\[1\] "args\.elf"\nargv\[2\] "42"\nargv\[3\] "-n"\nargv\[4\] "seed=7"\n/);
  const hash = /final state hash ([0-9a-f]{16})/.exec(ran.stderr)?.[1];

  const file = join(workDir(), 'args.rewind');
  const recorded = rewind(['record', ARGS_ELF, '-o', file, '--', '42', '-n', 'seed=7']);
  assert.equal(recorded.status, 0, recorded.stderr);
  assert.equal(recorded.stdout.replace(/time \d+/, ''), ran.stdout.replace(/time \d+/, ''));

  const replayed = rewind(['replay', file]);
  assert.equal(replayed.status, 0, replayed.stderr);
  assert.equal(replayed.stdout, recorded.stdout, 'the replay sees the recorded command line');
  assert.ok(hash);

  assert.match(rewind(['info', file]).stdout, /^arguments +"args\.elf 42 -n seed=7" /m);
});

test('replay refuses program arguments other than the recorded ones with a sentence: a recording keeps its command line', () => {
  const file = join(workDir(), 'args-refused.rewind');
  assert.equal(rewind(['record', ARGS_ELF, '-o', file]).status, 0);
  const replayed = rewind(['replay', file, '--', 'x']);
  assert.equal(replayed.status, 2);
  assert.match(replayed.stderr, /the arguments after -- are not the recording's: a recording replays with the command line it was recorded with, "args\.elf"/);
});

test('without --, the command line is the program\'s name alone, as before', () => {
  const ran = rewind(['run', ARGS_ELF]);
  assert.match(ran.stdout, /^argc 2\nargv\[0\] "program-name"\nargv\[1\] "args\.elf"\n/);
});

test('arguments with spaces or quotes are quoted as a shell would write them', () => {
  assert.equal(commandLineOf('/x/prog.elf', ['a b', "it's", '', 'plain-1.5']), `prog.elf 'a b' 'it'\\''s' '' plain-1.5`);
});

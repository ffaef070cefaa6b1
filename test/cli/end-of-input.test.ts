/**
 * The bug reported from the command line: `rewind run prog.elf --stdin in.txt` on a picolibc program
 * that loops on fgets printed "got: ���" forever once the input ended. Now it prints each line once
 * and stops with a sentence saying why; recording and replay stop at the same place. A program built
 * without --crt0=semihost, whose start-up code jumps to itself after main, is stopped with advice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileC, FGETS_SOURCE } from '../recording/picolibc';
import { rewind, workDir } from './rewind-cli';

function inputFile(text: string): string {
  const path = join(workDir(), `input-${text.length}.txt`);
  writeFileSync(path, text);
  return path;
}

for (const crt0 of ['semihost', 'default'] as const) {
  test(`rewind run of an fgets loop (--crt0=${crt0}) with --stdin prints each line once and ends`, () => {
    const { path } = compileC(FGETS_SOURCE, crt0);
    const r = rewind(['run', path, '--stdin', inputFile('one\ntwo\n')]);
    assert.equal(r.stdout, 'got: one\ngot: two\n');
    assert.equal(r.status, 125);
    assert.match(r.stderr, /^rewind: the program read the console again at step [\d,]+ after being told its input had ended; picolibc's getchar, fgets and scanf/);
    assert.match(r.stderr, /open\(":tt", O_RDONLY\)/);
  });
}

test('the same with input from a pipe instead of --stdin', () => {
  const { path } = compileC(FGETS_SOURCE);
  const r = rewind(['run', path], { input: 'piped\n' });
  assert.equal(r.stdout, 'got: piped\n');
  assert.equal(r.status, 125);
  assert.match(r.stderr, /after being told its input had ended/);
});

test('record and replay of the fgets loop stop at the same step with the same output', () => {
  const { path } = compileC(FGETS_SOURCE);
  const file = join(workDir(), 'fgets.rewind');
  const recorded = rewind(['record', path, '-o', file, '--verbose', '--stdin', inputFile('a\nbb\n')]);
  assert.equal(recorded.stdout, 'got: a\ngot: bb\n');
  assert.equal(recorded.status, 125);
  assert.match(recorded.stderr, /recorded ([\d,]+) steps .*\(the program read past the end of its input\)/);
  const steps = /recorded ([\d,]+) steps/.exec(recorded.stderr)![1];
  const replayed = rewind(['replay', file, '--verbose']);
  assert.equal(replayed.status, 125, replayed.stderr);
  assert.equal(replayed.stdout, 'got: a\ngot: bb\n');
  assert.match(replayed.stderr, new RegExp(`replayed ${steps} steps; final state hash [0-9a-f]{16} matches`));
});

test('a program whose start-up code jumps to itself after main is stopped with advice, not run forever', () => {
  const { path } = compileC('#include <stdio.h>\nint main(void) { printf("hi\\n"); return 3; }\n', 'default');
  const r = rewind(['run', path]);
  assert.equal(r.stdout, 'hi\n');
  assert.equal(r.status, 125);
  assert.match(r.stderr, /^rewind: the program jumps to itself forever at pc 0x[0-9a-f]{8} \(step [\d,]+\) with interrupts off, so it can never go on; .*--crt0=semihost/);
  const file = join(workDir(), 'loops.rewind');
  const recorded = rewind(['record', path, '-o', file]);
  assert.equal(recorded.status, 125);
  const info = rewind(['info', file]);
  assert.match(info.stdout, /^complete +yes \(the program jumps to itself forever/m);
  assert.equal(rewind(['replay', file]).status, 125, 'a replay exits as its run did');
});

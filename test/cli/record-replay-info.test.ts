/**
 * `rewind record`, `rewind replay` and `rewind info` as a user runs them: the same output from a
 * replay as from the recorded run, --stdin, exit statuses, and messages for what goes wrong.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES, rewind, workDir } from './rewind-cli';

const INTERACTIVE_OUTPUT = `calculator: type "12 * 7", any other text to count its words, or quit
> 12 * 7 = 84
> 100 / 0: division by zero
> 2 - 40 = -38
> "the quick brown fox jumps over the lazy dog": 9 words, 43 characters
> 1000000 % 7 = 1
> "  spaces   around   words  ": 3 words, 27 characters
> quit
bye after 6 lines
`;

const example = (name: string): string => join(EXAMPLES, name, `${name}.elf`);

test('rewind run of the interactive example with --stdin answers every line and exits 0', () => {
  const r = rewind(['run', example('interactive'), '--stdin', join(EXAMPLES, 'interactive/input.txt')]);
  assert.equal(r.stdout, INTERACTIVE_OUTPUT);
  assert.equal(r.status, 0, r.stderr);
});

test('record the interactive example with --stdin, replay it: the same output, the final hash checked', () => {
  const file = join(workDir(), 'interactive.rewind');
  const recorded = rewind(['record', example('interactive'), '-o', file, '--verbose', '--stdin', join(EXAMPLES, 'interactive/input.txt')]);
  assert.equal(recorded.status, 0, recorded.stderr);
  assert.equal(recorded.stdout, INTERACTIVE_OUTPUT);
  assert.match(recorded.stderr, /^rewind: recorded [\d,]+ steps in [\d.]+ s to .*interactive\.rewind \(the program exited with status 0 \(semihosting\)\)\n$/);
  const steps = /recorded ([\d,]+) steps/.exec(recorded.stderr)![1];

  const replayed = rewind(['replay', file, '--verbose']);
  assert.equal(replayed.status, 0, replayed.stderr);
  assert.equal(replayed.stdout, INTERACTIVE_OUTPUT);
  assert.match(replayed.stderr, new RegExp(`^rewind: replayed ${steps} steps; final state hash [0-9a-f]{16} matches\\n$`));

  const info = rewind(['info', file]);
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stdout, /^program +interactive\.elf \([\d,]+ bytes, sha256 [0-9a-f]{64}\)$/m);
  assert.match(info.stdout, new RegExp(`^steps +${steps}$`, 'm'));
  assert.match(info.stdout, /^events +7 console$/m);
  assert.match(info.stdout, /^complete +yes \(the program exited with status 0\)$/m);
  assert.match(info.stdout, /^index +interactive\.rewind\.index: 1 state from step [\d,]+ to [\d,]+, [\d,]+ bytes \(only saves time: it may be deleted\)$/m);
});

test('rewind record writes the snapshot index beside the recording; rewind replay writes one for a recording that has none', () => {
  const file = join(workDir(), 'timer.rewind');
  assert.equal(rewind(['record', example('timer'), '-o', file]).status, 0);
  const written = readFileSync(`${file}.index`);
  assert.equal(new TextDecoder().decode(written.subarray(0, 8)), 'REWINDX1');
  unlinkSync(`${file}.index`);
  assert.match(rewind(['info', file]).stdout, /^index +none \(rewind replay, or a debug session that runs to the end, writes timer\.rewind\.index\)$/m);
  const replayed = rewind(['replay', file]);
  assert.equal(replayed.status, 0, replayed.stderr);
  assert.deepEqual(readFileSync(`${file}.index`), written, 'the replay writes the same index as the recorder');
  // A file of that name that is not an index is left alone, and said to be unusable.
  writeFileSync(`${file}.index`, 'notes of mine, long enough to look like a file');
  assert.equal(rewind(['replay', file]).status, 0);
  assert.equal(readFileSync(`${file}.index`, 'utf8'), 'notes of mine, long enough to look like a file');
  assert.match(rewind(['info', file]).stdout, /^index +.*timer\.rewind\.index cannot be used: not a Rewind index \(bad magic\)$/m);
});

test('every example records and replays with identical output; the exit status is the program\'s, in the replay too', () => {
  for (const [name, status] of [['hello', 0], ['timer', 0], ['uart', 0], ['bug', 1], ['startup', 0]] as const) {
    const file = join(workDir(), `${name}.rewind`);
    const ran = rewind(['run', example(name)]);
    const recorded = rewind(['record', example(name), '-o', file]);
    assert.equal(recorded.status, status, `${name}: ${recorded.stderr}`);
    assert.equal(ran.status, status);
    assert.equal(recorded.stdout, ran.stdout, `${name}: recording changes the output`);
    const replayed = rewind(['replay', file]);
    // As QEMU's rr=replay and `rr replay -a`: a replay that matches exits as its run did.
    assert.equal(replayed.status, status, `${name}: ${replayed.stderr}`);
    assert.equal(replayed.stdout, ran.stdout, `${name}: the replay prints something else`);
  }
});

test('a recording cut short replays what it holds, and info says it is incomplete', () => {
  const file = join(workDir(), 'interactive-full.rewind');
  assert.equal(rewind(['record', example('interactive'), '-o', file, '--stdin', join(EXAMPLES, 'interactive/input.txt')]).status, 0);
  const whole = readFileSync(file);
  const cut = join(workDir(), 'interactive-cut.rewind');
  writeFileSync(cut, whole.subarray(0, whole.length - 5)); // into the end chunk
  const info = rewind(['info', cut]);
  assert.equal(info.status, 0, info.stderr);
  const recovered = /^complete +no: recovered (\d+) of (\d+) chunks up to step ([\d,]+): the last chunk is torn/m.exec(info.stdout);
  assert.ok(recovered, info.stdout);
  assert.equal(Number(recovered[1]) + 1, Number(recovered[2]));
  assert.match(info.stdout, new RegExp(`^steps +${recovered[3]}$`, 'm'));
  const replayed = rewind(['replay', cut]);
  assert.equal(replayed.status, 0, replayed.stderr);
  assert.match(replayed.stderr, /interactive-cut\.rewind: recovered \d+ of \d+ chunks/);
  // Up to the last input read: everything but what follows it.
  assert.ok(replayed.stdout.length > 100 && INTERACTIVE_OUTPUT.startsWith(replayed.stdout), replayed.stdout);
});

test('mistakes get a sentence and a non-zero status, never a stack trace', () => {
  const cases: Array<{ args: string[]; status: number; message: RegExp }> = [
    { args: ['replay', join(workDir(), 'nothing-here.rewind')], status: 1, message: /^rewind: no such file: .*nothing-here\.rewind\n$/ },
    { args: ['info', example('hello')], status: 1, message: /not a Rewind recording \(bad magic\)/ },
    { args: ['replay', join(EXAMPLES, 'interactive/input.txt')], status: 1, message: /not a Rewind recording/ },
    { args: ['record', example('hello')], status: 2, message: /rewind record needs -o FILE/ },
    { args: ['record', example('hello'), '-o', join(workDir(), 'x.rewind'), '--stdin', join(workDir(), 'missing.txt')], status: 1, message: /^rewind: no such input file: .*missing\.txt\n$/ },
    { args: ['run', example('hello'), '--stdin', join(workDir(), 'missing.txt')], status: 1, message: /^rewind: no such input file/ },
    { args: ['run', join(workDir(), 'missing.elf')], status: 1, message: /^rewind: no such file: / },
    { args: ['replay'], status: 2, message: /rewind replay needs a recording/ },
    { args: ['frobnicate'], status: 2, message: /unknown command "frobnicate"/ },
  ];
  for (const c of cases) {
    const r = rewind(c.args);
    assert.equal(r.status, c.status, `rewind ${c.args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, c.message, `rewind ${c.args.join(' ')}`);
    assert.doesNotMatch(r.stderr, /\n +at /, `rewind ${c.args.join(' ')} printed a stack trace`);
  }
});

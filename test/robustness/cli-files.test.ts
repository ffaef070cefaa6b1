/**
 * Issue 20, the files: what a user or a file can hand the command line (huge reads, devices, folders,
 * a program named as the output, crafted recordings) ends in one sentence and a status, or in a
 * recording its own reader reads whole; never a stack trace, never a hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, copyFileSync, existsSync, ftruncateSync, linkSync, lstatSync, openSync, readFileSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ByteWriter } from '../../emulator/replay/bytes';
import { decodeRecording, encodeEnd, encodeHeader, MAGIC } from '../../emulator/replay/recording-format';
import { readRecordingFile, RECORDING_FILE_LIMIT } from '../../debugger/user-files';
import { sha256Hex } from '../../emulator/replay/sha256';
import { chunk, chunkSpans } from '../recording/chunks';
import { copyRecording, encodeRecording } from '../recording/tamper';
import { concat } from '../engine/record';
import { spawnSync } from 'node:child_process';
import { CLI, CliResult, EXAMPLES, rewind, workDir } from '../cli/rewind-cli';
import { BIG_READ, bigInput, bigReader, example, manySegments } from './crafted';

const noStack = (r: CliResult, what: string): void => {
  assert.doesNotMatch(r.stderr, /\n +at |RangeError|TypeError|internal error/, `${what} printed a stack trace or an internal error:\n${r.stderr}`);
};

test('a guest that reads 3 MiB in one call from --stdin makes a recording that info and replay read whole', () => {
  const dir = workDir();
  const file = join(dir, 'big-read.rewind');
  const recorded = rewind(['record', bigReader(dir), '--stdin', bigInput(dir), '-o', file]);
  assert.equal(recorded.status, 0, `the program did not get its ${BIG_READ} bytes in one read: ${recorded.stderr}`);
  const recording = decodeRecording(readFileSync(file));
  assert.equal(recording.recovery, '', 'the reader recovered only a prefix of what its writer wrote');
  assert.deepEqual(recording.events.map((e) => e.kind === 'console' ? e.bytes.length : -1), [BIG_READ]);
  const info = rewind(['info', file]);
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stdout, /^events +1 console$/m);
  assert.match(info.stdout, /^complete +yes \(the program exited with status 0\)$/m);
  const replayed = rewind(['replay', file, '--verbose']);
  assert.equal(replayed.status, 0, replayed.stderr);
  assert.match(replayed.stderr, /^rewind: replayed [1-9]\d* steps; final state hash [0-9a-f]{16} matches\n$/);
});

test('a recording only partly readable is said by info and replay, and a damaged one fails', () => {
  const dir = workDir();
  const file = join(dir, 'interactive.rewind');
  assert.equal(rewind(['record', example('interactive'), '--stdin', join(EXAMPLES, 'interactive/input.txt'), '-o', file]).status, 0);
  const whole = readFileSync(file);
  const spans = chunkSpans(whole);
  assert.ok(spans.length >= 4, `${spans.length} chunks`);
  const damaged = Uint8Array.from(whole); // (a copy: Buffer.slice is a view)
  damaged[spans[2].payload] ^= 0x40; // a bit flipped in the second input chunk: a bad checksum
  const path = join(dir, 'interactive-damaged.rewind');
  writeFileSync(path, damaged);
  const info = rewind(['info', path]);
  assert.equal(info.status, 1, 'info took a damaged recording for a whole one');
  assert.match(info.stdout, /^complete +no: recovered 2 of \d+ chunks up to step [\d,]+: chunk 3 has a bad checksum$/m);
  assert.match(info.stderr, /is damaged: recovered 2 of \d+ chunks .*; only that prefix can be replayed/);
  const replayed = rewind(['replay', path]);
  assert.equal(replayed.status, 1, replayed.stderr);
  assert.match(replayed.stderr, /rewind: replayed [\d,]+ steps, only the prefix recovered from .*interactive-damaged\.rewind \(no checkpoint to check\): recovered 2 of/);
  assert.doesNotMatch(replayed.stderr, /; final state hash/);
  noStack(replayed, 'replay of a damaged recording');
});

test('devices, pipes and folders are refused, not read forever (console input from a pipe is read up to its limit)', () => {
  const cases: Array<{ args: string[]; message: RegExp }> = [
    { args: ['info', '/dev/zero'], message: /^rewind: the file \/dev\/zero is not a regular file \(a device, pipe or socket\), so Rewind does not read it\n$/ },
    { args: ['replay', '/dev/zero'], message: /\/dev\/zero is not a regular file/ },
    { args: ['run', '/dev/zero'], message: /\/dev\/zero is not a regular file/ },
    { args: ['run', example('hello'), '--stdin', '/dev/zero'], message: /^rewind: the input file \/dev\/zero gave more than 64 MiB; Rewind reads input of up to 64 MiB\n$/ },
    { args: ['info', EXAMPLES], message: /^rewind: the file .*examples is a folder, not a file\n$/ },
    { args: ['gdb', EXAMPLES], message: /^rewind: the file .*examples is a folder, not a file\n$/ },
  ];
  for (const c of cases) {
    const r = rewind(c.args);
    assert.equal(r.status, 1, `rewind ${c.args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, c.message, `rewind ${c.args.join(' ')}`);
    noStack(r, `rewind ${c.args.join(' ')}`);
  }
});

test('a gigabyte file is read only as far as it is a recording: its first bytes, not a gigabyte of memory', () => {
  // Sparse files: no disk is used. Before, info read all of one (1.09 GB, 15 s) before looking at its magic.
  const dir = workDir();
  const sized = (name: string, head: Uint8Array, size: number): string => {
    const path = join(dir, name);
    const fd = openSync(path, 'w');
    writeSync(fd, head);
    ftruncateSync(fd, size);
    closeSync(fd);
    return path;
  };
  const GB = 1000 << 20;
  const recording = readFileSync(join(EXAMPLES, 'bug/bug.rewind'));
  const cases: Array<{ path: string; message: RegExp }> = [
    { path: sized('zeros.rewind', new Uint8Array(0), GB), message: /zeros\.rewind: not a Rewind recording \(bad magic\)\n$/ },
    { path: sized('magic-zeros.rewind', MAGIC, GB), message: /magic-zeros\.rewind: the recording has no readable header: chunk 1 has a bad checksum\n$/ },
    { path: sized('padded.rewind', recording, GB), message: /padded\.rewind is damaged: recovered \d+ of \d+ chunks up to step [\d,]+: chunk \d+ has a bad checksum; only that prefix can be replayed\n$/ },
  ];
  for (const c of cases) {
    const read = readRecordingFile(c.path, RECORDING_FILE_LIMIT, 'the recording');
    assert.equal(read.size, GB);
    assert.ok(read.bytes.length <= recording.length + (1 << 20), `${c.path}: ${read.bytes.length} bytes read`);
    const info = rewind(['info', c.path]);
    assert.equal(info.status, 1, info.stderr);
    assert.match(info.stderr, c.message);
  }
  assert.match(rewind(['info', join(dir, 'padded.rewind')]).stdout, /^size +1,048,576,000 bytes/m);
});

test('a pipe or device where a recording\'s index goes is passed over, not waited on', () => {
  const dir = workDir();
  const recording = join(dir, 'beside-a-pipe.rewind');
  copyFileSync(join(EXAMPLES, 'bug/bug.rewind'), recording);
  assert.equal(spawnSync('mkfifo', [`${recording}.index`]).status, 0);
  // Before, opening the pipe waited for a writer: info and replay hung.
  const bounded = { timeout: 30_000 };
  const info = rewind(['info', recording], bounded);
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stdout, /^index +.*beside-a-pipe\.rewind\.index is not a regular file$/m);
  const replayed = rewind(['replay', recording, '--verbose'], bounded);
  assert.equal(replayed.status, 1, `the bug example exits 1, and so does its replay: ${replayed.stderr}`);
  assert.match(replayed.stderr, /final state hash [0-9a-f]{16} matches/);
});

test('console input from a pipe is read to its end', () => {
  const r = spawnSync('bash', ['-c', `node ${CLI} run ${example('interactive')} --stdin <(printf '6 * 7\\nquit\\n')`], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /= 42/);
});

test('record -o and gdb --output never overwrite a file that is not a recording, unless --force', () => {
  const dir = workDir();
  const program = join(dir, 'p.elf');
  copyFileSync(example('hello'), program);
  const before = readFileSync(program);
  const refused = rewind(['record', program, '-o', program]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /^rewind: .*p\.elf exists and is not a Rewind recording, so it is not overwritten; choose another name for the recording \(or pass --force to replace it\)\n$/);
  assert.deepEqual(readFileSync(program), before, 'the program was overwritten');
  const gdb = rewind(['gdb', program, '--output', program, '--port', '0']);
  assert.equal(gdb.status, 1);
  assert.match(gdb.stderr, /p\.elf exists and is not a Rewind recording/);
  assert.deepEqual(readFileSync(program), before, 'gdb --output overwrote the program');
  // A recording of ours is replaced without asking; anything else with --force.
  const output = join(dir, 'hello.rewind');
  assert.equal(rewind(['record', program, '-o', output]).status, 0);
  assert.equal(rewind(['record', program, '-o', output]).status, 0);
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'keep me');
  assert.equal(rewind(['record', program, '-o', notes, '--force']).status, 0);
  assert.equal(decodeRecording(readFileSync(notes)).recovery, '');
  // An old recording is replaced by a new file, but a link to one stays a link, and both names of a
  // recording with two see the new one.
  const target = join(dir, 'target.rewind'), link = join(dir, 'link.rewind'), second = join(dir, 'second.rewind');
  copyFileSync(join(EXAMPLES, 'bug/bug.rewind'), target);
  symlinkSync(target, link);
  assert.equal(rewind(['record', program, '-o', link]).status, 0);
  assert.ok(lstatSync(link).isSymbolicLink(), 'the link was replaced by a file');
  assert.equal(decodeRecording(readFileSync(target)).programName, 'p.elf');
  linkSync(target, second);
  assert.equal(rewind(['record', example('hello'), '-o', second]).status, 0);
  assert.equal(decodeRecording(readFileSync(target)).programName, 'hello.elf');
});

test('a record refused after its output was checked (a program too large to record) leaves no file and truncates none', () => {
  const dir = workDir();
  const program = join(dir, 'too-large.elf');
  copyFileSync(example('hello'), program);
  truncateSync(program, 70 << 20); // zeros after the ELF: it parses, and is larger than a recording holds
  const kept = join(dir, 'kept.rewind');
  copyFileSync(join(EXAMPLES, 'bug/bug.rewind'), kept);
  const before = readFileSync(kept);
  const cases = [
    ['record', program, '-o', join(dir, 'never.rewind')], ['record', program, '-o', kept],
    ['gdb', program, '--output', join(dir, 'never.rewind'), '--port', '0'], ['gdb', program, '--output', kept, '--port', '0'],
  ];
  for (const args of cases) {
    const r = rewind(args);
    assert.equal(r.status, 1, `rewind ${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^rewind: the program is 73,\d{3},\d{3} bytes; a recording holds programs of up to 67,\d{3},\d{3} bytes\n$/);
    // Before, the output was opened (emptied) first: a new empty file, or the old recording truncated.
    assert.equal(existsSync(join(dir, 'never.rewind')), false, `rewind ${args.join(' ')} left a file behind`);
    assert.deepEqual(readFileSync(kept), before, `rewind ${args.join(' ')} changed the recording that was there`);
  }
});

test('output paths that cannot be written get a sentence, not a stack trace', () => {
  const dir = workDir();
  const cases: Array<{ args: string[]; message: RegExp }> = [
    { args: ['record', example('hello'), '-o', '/nonexistent/x.rewind'], message: /^rewind: cannot write the recording to \/nonexistent\/x\.rewind: the folder \/nonexistent does not exist\n$/ },
    { args: ['record', example('hello'), '-o', dir], message: /^rewind: cannot write the recording to .*: it is a folder; give a file name such as .*\/run\.rewind\n$/ },
    { args: ['gdb', example('hello'), '--output', '/nonexistent/x', '--port', '0'], message: /^rewind: cannot write the recording to \/nonexistent\/x: the folder \/nonexistent does not exist\n$/ },
  ];
  for (const c of cases) {
    const r = rewind(c.args);
    assert.equal(r.status, 1, `rewind ${c.args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, c.message, `rewind ${c.args.join(' ')}`);
    noStack(r, `rewind ${c.args.join(' ')}`);
  }
});

test('output piped into a reader that stops early (| head) ends the command quietly, not with an internal error', () => {
  const flood = join(EXAMPLES, '../bench/flood/flood-1m.elf');
  for (const command of ['run', 'replay']) {
    const target = command === 'run' ? flood : join(EXAMPLES, 'bug/bug.rewind');
    const r = spawnSync('bash', ['-c', `node ${CLI} ${command} ${target} | head -c 10 > /dev/null; echo "status \${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', timeout: 60_000 });
    // Before: "rewind: internal error: EPIPE: broken pipe, write (a bug in Rewind; ...)", status 70.
    assert.doesNotMatch(r.stderr, /internal error|EPIPE/, `${command}: ${r.stderr}`);
    // 141 when head stopped reading first; else what the program exits with (bug: 1, in its replay too).
    assert.match(r.stderr, command === 'run' ? /status (141|0)\n$/ : /status (141|1)\n$/, command);
  }
});

/** The header of examples/bug/bug.rewind with a crafted log after it. */
function crafted(name: string, log: Uint8Array[]): string {
  const file = join(workDir(), name);
  const header = decodeRecording(readFileSync(join(EXAMPLES, 'bug/bug.rewind')));
  writeFileSync(file, concat([encodeHeader(header), ...log]));
  return file;
}

test('a crafted recording with 150,000 events in one chunk is read, not a RangeError', () => {
  const events = new ByteWriter().varint(150_000);
  for (let i = 0; i < 150_000; i++) events.varint(1).byte(2).byte(0x41); // a UART byte at every step
  const file = crafted('many-events.rewind', [chunk('E', events.finish())]);
  const info = rewind(['info', file]);
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stdout, /^events +150000 uart$/m);
  assert.match(info.stdout, /^complete +no: recovered 2 of 2 chunks up to step 150,000: the recorder did not finish/m);
  const replayed = rewind(['replay', file]);
  noStack(replayed, 'replay of 150,000 events');
  assert.match(replayed.stderr, /recovered 2 of 2 chunks/);
});

test('info describes every end reason a file may hold, never "undefined"', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{}, /^complete +yes \(the recorder gave no reason\)$/m],
    [null, /^complete +yes \(the recorder gave no reason\)$/m],
    [{ kind: 'input' }, /^complete +yes \(the program was waiting for input\)$/m],
    [{ kind: 'exit' }, /^complete +yes \(the program exited\)$/m],
    [{ kind: 'stopped', message: 'the live session ended here' }, /^complete +yes \(the live session ended here\)$/m],
  ];
  for (const [i, [reason, expected]] of cases.entries()) {
    const file = crafted(`reason-${i}.rewind`, [encodeEnd({ step: 10, hash: '0123456789abcdef' }, reason)]);
    const info = rewind(['info', file]);
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stdout, expected, JSON.stringify(reason));
    assert.doesNotMatch(info.stdout, /undefined|null/, JSON.stringify(reason));
  }
});

test('a recording whose stored program does not match its hash is said by info and replay', () => {
  const recording = decodeRecording(readFileSync(join(EXAMPLES, 'bug/bug.rewind')));
  const altered = copyRecording(recording);
  altered.program = recording.program.slice();
  altered.program[altered.program.length - 1] ^= 1; // the last byte of the file: section headers, not code
  const file = join(workDir(), 'altered.rewind');
  writeFileSync(file, encodeRecording(altered));
  const info = rewind(['info', file]);
  assert.equal(info.status, 1, info.stdout);
  assert.match(info.stdout, new RegExp(`^integrity +the program stored in the recording is not the one recorded: its sha256 is ${sha256Hex(altered.program)}, the header says ${recording.programHash}`, 'm'));
  const replayed = rewind(['replay', file]);
  assert.equal(replayed.status, 1, replayed.stderr);
  assert.match(replayed.stderr, /altered\.rewind: the program stored in the recording is not the one recorded/);
});

test('a recording whose program was swapped for one that ends sooner reports the divergence', () => {
  const recording = decodeRecording(readFileSync(join(EXAMPLES, 'bug/bug.rewind')));
  const swapped = copyRecording(recording);
  swapped.program = readFileSync(example('hello'));
  swapped.programHash = sha256Hex(swapped.program); // a consistent header: only the replay can tell
  const file = join(workDir(), 'swapped.rewind');
  writeFileSync(file, encodeRecording(swapped));
  const replayed = rewind(['replay', file]);
  assert.equal(replayed.status, 3, replayed.stderr);
  assert.match(replayed.stderr, /^rewind: the replay diverged from the recording at the checkpoint at step 34,102 \(the replay stopped at step [\d,]+ before reaching it\)\n$/m);
});

test('an ELF of a thousand PT_LOAD segments that each cover RAM loads at once, in run, record, info and replay', () => {
  const dir = workDir();
  const elf = join(dir, 'segments.elf');
  writeFileSync(elf, manySegments(1000));
  const hello = rewind(['run', example('hello')]);
  // A hang guard, not a speed test: before the fix this took more than a minute per load.
  const bounded = { timeout: 30_000 };
  const ran = rewind(['run', elf], bounded);
  assert.equal(ran.status, 0, ran.stderr);
  assert.equal(ran.stdout, hello.stdout);
  const file = join(dir, 'segments.rewind');
  assert.equal(rewind(['record', elf, '-o', file], bounded).status, 0);
  const info = rewind(['info', file], bounded);
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stdout, /^complete +yes \(the program exited with status 0\)$/m);
  const replayed = rewind(['replay', file], bounded);
  assert.equal(replayed.status, 0, replayed.stderr);
  assert.equal(replayed.stdout, hello.stdout);
});

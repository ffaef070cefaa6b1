/**
 * Live sessions (`launch {program}`): the program runs as it is recorded; when it waits for console
 * input the session says so and a line typed in the Debug Console is the input; the user can travel
 * back and forward; at the end the recording is saved and replays the same run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLES, info, launchAndStop, scratch, startClient, travel } from './fixture';

test('a live program waits for input typed in the Debug Console, and leaves a recording', async () => {
  const dir = scratch();
  const recordingPath = join(dir, 'calc.rewind');
  const dc = await startClient();
  const output: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') output.push(e.body.output); });
  try {
    let stop = await launchAndStop(dc, { program: join(EXAMPLES, 'interactive/interactive.elf'), recordingPath });
    assert.equal(stop.body.reason, 'pause');
    assert.match(stop.body.description!, /waits for input: type a line in the Debug Console/);
    assert.equal((await info(dc)).live, true);
    stop = await travel(dc, () => dc.evaluateRequest({ expression: '6 * 7', context: 'repl' }));
    assert.match(stop.body.description!, /waits for input/);
    assert.match(output.join(''), /> 6 \* 7 = 42\n> $/);
    // Back into what has run, and forward again: nothing printed twice.
    const frontier = (await info(dc)).step;
    await travel(dc, () => dc.customRequest('rewind/seek', { step: 1000 }));
    stop = await travel(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.match(stop.body.description!, /waits for input/);
    assert.equal((await info(dc)).step, frontier);
    assert.equal(output.join('').split('6 * 7 = 42').length, 2);
    stop = await travel(dc, () => dc.evaluateRequest({ expression: 'quit', context: 'repl' }));
    assert.equal(stop.body.description, 'exited with status 0');
    assert.match(output.join(''), /> quit\nbye after 1 line\n$/);
    await dc.disconnectRequest({});
  } finally {
    await dc.stop();
  }
  assert.ok(existsSync(recordingPath));
  // The recording replays the same run.
  const replay = await startClient();
  const replayed: string[] = [];
  replay.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') replayed.push(e.body.output); });
  try {
    const stop = await launchAndStop(replay, { recording: recordingPath });
    assert.equal(stop.body.description, 'exited with status 0');
    assert.equal(replayed.join(''), output.join(''));
    const events = (await info(replay)).events as Array<{ description: string }>;
    assert.deepEqual(events.map((e) => e.description).filter((d) => d.startsWith('input')), ['input "6 * 7\\n"', 'input "quit\\n"']);
  } finally {
    await replay.stop();
  }
});

test('a live program given a stdin file runs to its end', async () => {
  const dir = scratch();
  const input = join(dir, 'input.txt');
  writeFileSync(input, '3 + 4\nhello there');
  const dc = await startClient();
  const output: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') output.push(e.body.output); });
  try {
    const stop = await launchAndStop(dc, { program: join(EXAMPLES, 'interactive/interactive.elf'), stdin: input, recordingPath: join(dir, 'x.rewind') });
    assert.equal(stop.body.description, 'exited with status 0');
    assert.match(output.join(''), /> 3 \+ 4 = 7\n> "hello there": 2 words, 11 characters\n> \(end of input\)\nbye after 2 lines\n$/);
    const back = await travel(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(back.body.description, 'start of recording');
  } finally {
    await dc.stop();
  }
});

test('without recordingPath the recording goes beside the program, never over an existing one', async () => {
  const dir = scratch();
  const program = join(dir, 'hello.elf');
  copyFileSync(join(EXAMPLES, 'hello/hello.elf'), program);
  writeFileSync(join(dir, 'hello.rewind'), 'an older recording');
  const dc = await startClient();
  try {
    const stop = await launchAndStop(dc, { program });
    assert.equal(stop.body.description, 'exited with status 0');
    assert.equal((await info(dc)).recording, join(dir, 'hello-2.rewind'));
    await dc.disconnectRequest({});
  } finally {
    await dc.stop();
  }
  assert.equal(readFileSync(join(dir, 'hello.rewind'), 'utf8'), 'an older recording');
  assert.ok(readFileSync(join(dir, 'hello-2.rewind')).subarray(0, 8).equals(Buffer.from('REWIND1\n')));
});

test('the launch attributes "args" and "date" are the live program\'s argv and date; a recording replays with its own', async () => {
  const dir = scratch();
  const recordingPath = join(dir, 'args.rewind');
  const dc = await startClient();
  const output: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') output.push(e.body.output); });
  try {
    const stop = await launchAndStop(dc, { program: join(EXAMPLES, 'args/args.elf'), args: ['42', 'seed=7'], date: '2026-01-01', recordingPath });
    assert.equal(stop.body.description, 'exited with status 0');
    assert.match(output.join(''), /^argc 4\nargv\[0\] "program-name"\nargv\[1\] "args\.elf"\nargv\[2\] "42"\nargv\[3\] "seed=7"\ntime 1767225600\n/);
  } finally {
    await dc.stop();
  }
  const replay = await startClient();
  const replayed: string[] = [];
  const said: string[] = [];
  replay.on('output', (e: DebugProtocol.OutputEvent) => { (e.body.category === 'stdout' ? replayed : said).push(e.body.output); });
  try {
    const stop = await launchAndStop(replay, { recording: recordingPath, args: ['other'], date: 0 });
    assert.equal(stop.body.description, 'exited with status 0');
    assert.equal(replayed.join(''), output.join(''));
    assert.match(said.join(''), /"date" is ignored: args\.rewind replays with the date it was recorded with/);
    assert.match(said.join(''), /"args" is ignored: args\.rewind replays with the command line it was recorded with \("args\.elf 42 seed=7"\)/);
  } finally {
    await replay.stop();
  }
});

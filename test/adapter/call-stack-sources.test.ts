/**
 * What VS Code is shown of the call stack at the stops a new user meets: the start (step 0, in picolibc's
 * crt0), a function breakpoint in library code without CFI (memset, sys_semihost, libgcc's millicode),
 * Go to Step, and the end of the recording. Every stack reaches the program's first function; no frame
 * names a source file that is not on this machine (those frames have no source and are dimmed, so VS Code
 * opens no "could not be opened" editor); and the end says "exited with status N" in a few words, with
 * the whole sentence in the Debug Console.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLES, info, launchAndStop, record, scratch, startClient, travel } from './fixture';

// uart.S ends parked at its label `halt`, inside _start's code: the frame is named by that label, as gdb names it.
const FIRST_FUNCTIONS = new Set(['_start', '_cstart', 'finish', 'halt']);
const LIBRARY_FUNCTIONS = ['memset', 'memcpy', 'sys_semihost', '__riscv_save_0', '__riscv_restore_0', '__riscv_save_8', '__riscv_restore_8', 'uart_putc'];

async function checkStack(dc: DebugClient, where: string): Promise<string[]> {
  const { stackFrames } = (await dc.stackTraceRequest({ threadId: 1 })).body;
  const names = stackFrames.map((f) => f.name);
  assert.ok(FIRST_FUNCTIONS.has(names[names.length - 1]), `${where}: the stack reaches the first function: ${names.join(' ← ')}`);
  for (const frame of stackFrames) {
    if (frame.source?.path !== undefined) {
      assert.ok(existsSync(frame.source.path), `${where}: frame ${frame.name} names ${frame.source.path}, which does not exist`);
      assert.ok(frame.line > 0, `${where}: frame ${frame.name} has a line`);
    } else {
      assert.equal(frame.presentationHint, 'subtle', `${where}: frame ${frame.name} without source is dimmed`);
      assert.match(frame.instructionPointerReference ?? '', /^0x[0-9a-f]{8}$/, `${where}: frame ${frame.name} can be shown as disassembly`);
    }
  }
  return names;
}

// How each ends, in the Call Stack's header: semihosting's exit status, or the test finisher's word.
const CASES: Array<{ elf: string; ended: string; input?: string }> = [
  { elf: 'bug/bug.elf', ended: 'exited with status 1' }, { elf: 'hello/hello.elf', ended: 'exited with status 0' },
  { elf: 'uart/uart.elf', ended: 'exited (0x5555, pass)' }, { elf: 'startup/startup.elf', ended: 'exited (0x5555, pass)' },
  { elf: 'timer/timer.elf', ended: 'exited with status 0' },
  { elf: 'interactive/interactive.elf', ended: 'exited with status 0', input: readFileSync(join(EXAMPLES, 'interactive/input.txt'), 'utf8') },
];

for (const { elf, ended, input } of CASES) {
  test(`${elf}: every stack at step 0, in library code, at a step and at the end reaches the start, with only sources that exist`, async () => {
    const dc = await startClient();
    const console: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'console') console.push(e.body.output); });
    try {
      const recording = record(elf, input ?? '', scratch());
      await launchAndStop(dc, { recording, sourceRoot: join(EXAMPLES, elf.split('/')[0]), stopOnEntry: true }, async () => {
        await dc.setFunctionBreakpointsRequest({ breakpoints: LIBRARY_FUNCTIONS.map((name) => ({ name })) });
      });
      await checkStack(dc, `${elf} at step 0`);
      const { lastStep } = await info(dc);
      // Each library function that runs, a few times each: continue until the end.
      let stop: DebugProtocol.StoppedEvent;
      const seen = new Map<string, number>();
      for (let n = 0; ; n++) {
        stop = await travel(dc, () => dc.continueRequest({ threadId: 1 }));
        const step = (await info(dc)).step;
        if (step === lastStep) break;
        const names = await checkStack(dc, `${elf} stop ${n} (step ${step}, ${stop.body.description})`);
        seen.set(names[0], (seen.get(names[0]) ?? 0) + 1);
        if ((seen.get(names[0]) ?? 0) >= 3) {
          // Enough of this one: keep the others.
          const left = LIBRARY_FUNCTIONS.filter((f) => (seen.get(f) ?? 0) < 3);
          await dc.setFunctionBreakpointsRequest({ breakpoints: left.map((name) => ({ name })) });
        }
      }
      await checkStack(dc, `${elf} at the end`);
      assert.equal(stop.body.description, ended);
      assert.ok(console.some((t) => t.includes(`end of the recording: the program ${ended}`)), console.join(''));
      if (lastStep > 20_000) {
        await travel(dc, () => dc.customRequest('rewind/seek', { step: 20_000 }));
        await checkStack(dc, `${elf} at step 20,000`);
      }
      assert.ok(seen.size > 0, `${elf} stopped in library code`);
    } finally {
      await dc.stop();
    }
  });
}

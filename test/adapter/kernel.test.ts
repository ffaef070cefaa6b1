/**
 * Debugging across privilege levels on the kernel example (examples/kernel): in the kernel's system call
 * handler the Call Stack goes from the handler through the trap entry, a frame for the trap itself
 * ("<trap: environment call from U-mode, handled in S-mode>"), into the U-mode code that made the call;
 * stepping back from the first instruction of the trap entry lands on the task's `ecall`, and stepping
 * back from the first instruction after `sret` lands on the `sret`, in S-mode again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebugProtocol } from '@vscode/debugprotocol';
import { parseElf } from '../../emulator/elf';
import { EXAMPLES, launchAndStop, record, startClient, topFrame, travel, wordAt } from './fixture';

const DIR = join(EXAMPLES, 'kernel');
const image = parseElf(readFileSync(join(DIR, 'kernel.elf')));
const address = (name: string): number => image.symbol(name)!.value;
const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

/** The `sret` of return_to_user: the first one after its label (instructions may be compressed). */
function sretAddress(): number {
  for (let a = address('return_to_user'), word = wordAt(image, a); word !== undefined; a += 2, word = wordAt(image, a)) {
    if (word === 0x10200073) return a;
  }
  throw new Error('no sret after return_to_user');
}

test('kernel: the Call Stack goes through the trap into U-mode; step back over ecall and sret', async () => {
  const dc = await startClient();
  try {
    const stop = await launchAndStop(dc, { recording: record('kernel/kernel.elf'), sourceRoot: DIR },
      () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'system_call' }] }));
    assert.match(stop.body.description ?? '', /in S-mode \(supervisor\)/);
    const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames as DebugProtocol.StackFrame[];
    const names = frames.map((f) => f.name);
    assert.deepEqual(names.slice(0, 3), ['system_call', 'trap', 'supervisor_trap']);
    assert.match(names[3], /^<trap: environment call from U-mode, handled in S-mode> at 0x[0-9a-f]{8}$/);
    assert.equal(frames[3].presentationHint, 'label');
    assert.equal(names[4], 'sys_write', 'the interrupted code: the task\'s system call wrapper');
    assert.equal(frames[4].source?.name, 'tasks.c');
    const ecall = frames[4].instructionPointerReference!;
    assert.equal(frames[3].instructionPointerReference, ecall);

    // Back to the trap entry's first instruction, then one instruction back: the task's ecall, in U-mode.
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: hex(address('supervisor_trap')) }] });
    const entry = await travel(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(entry.body.reason, 'instruction breakpoint');
    const atEntry = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames as DebugProtocol.StackFrame[];
    assert.equal(atEntry[0].name, 'supervisor_trap');
    assert.equal(atEntry[2].name, 'sys_write', 'at the trap entry, the interrupted task is still on the stack');
    const back = await travel(dc, () => dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }));
    assert.match(back.body.description ?? '', /in U-mode \(user\)/);
    const inTask = await topFrame(dc);
    assert.deepEqual([inTask.name, inTask.instructionPointerReference], ['sys_write', ecall]);

    // On to the kernel's sret, one instruction forward into U-mode, and back again.
    await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: hex(sretAddress()) }] });
    await travel(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal((await topFrame(dc)).instructionPointerReference, hex(sretAddress()));
    const after = await travel(dc, () => dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
    assert.match(after.body.description ?? '', /in U-mode \(user\)/);
    const resumed = await topFrame(dc);
    assert.equal(resumed.instructionPointerReference, hex(parseInt(ecall, 16) + 4), 'the task goes on after its ecall');
    const again = await travel(dc, () => dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }));
    assert.match(again.body.description ?? '', /in S-mode \(supervisor\)/);
    assert.equal((await topFrame(dc)).instructionPointerReference, hex(sretAddress()));
  } finally {
    await dc.stop();
  }
});

/**
 * CSRs decoded into named fields (mstatus, mie/mip, mcause, mtvec, misa), and a Peripherals scope (UART,
 * CLINT, test finisher) with fields: in the timer example's trap handler, and at the end of uart.elf.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLES, launchAndStop, lineOf, record, startClient, topFrame, evaluate } from './fixture';

async function scope(dc: DebugClient, name: string): Promise<DebugProtocol.Variable[]> {
  const frame = await topFrame(dc);
  const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
  return (await dc.variablesRequest({ variablesReference: scopes.find((s) => s.name === name)!.variablesReference })).body.variables;
}

async function children(dc: DebugClient, v: DebugProtocol.Variable): Promise<Map<string, DebugProtocol.Variable>> {
  assert.ok(v.variablesReference > 0, `${v.name} has fields`);
  return new Map((await dc.variablesRequest({ variablesReference: v.variablesReference })).body.variables.map((c) => [c.name, c]));
}

test('in the timer interrupt handler: mcause, mstatus, mie/mip, mtvec and misa by field; CLINT past mtimecmp', async () => {
  const dc = await startClient();
  try {
    await launchAndStop(dc, { recording: record('timer/timer.elf'), sourceRoot: join(EXAMPLES, 'timer') },
      () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'timer_trap' }] }));
    const csrs = new Map((await scope(dc, 'CSRs')).map((c) => [c.name, c]));
    assert.equal(csrs.get('mcause')!.value, '0x80000007 (machine timer interrupt)');
    const mcause = await children(dc, csrs.get('mcause')!);
    assert.equal(mcause.get('Interrupt')!.value, '1');
    assert.equal(mcause.get('Code')!.value, '0x7');

    const mstatus = await children(dc, csrs.get('mstatus')!);
    assert.equal(mstatus.get('MPP')!.value, '3 (M)');
    assert.equal(mstatus.get('MPIE')!.value, '1'); // interrupts were on before the trap
    assert.equal(mstatus.get('MIE')!.value, '0'); // and are off in the handler
    assert.match(csrs.get('mstatus')!.value, /^0x[0-9a-f]{8} \(.*MPIE=1.*MPP=M.*\)$/);
    assert.equal(mstatus.get('MPP')!.evaluateName, '($mstatus >> 11) & 0x3');
    assert.equal(await evaluate(dc, mstatus.get('MPP')!.evaluateName!, (await topFrame(dc)).id), '3');

    assert.equal((await children(dc, csrs.get('mie')!)).get('MTIE')!.value, '1');
    assert.equal((await children(dc, csrs.get('mip')!)).get('MTIP')!.value, '1');
    const mtvec = await children(dc, csrs.get('mtvec')!);
    assert.equal(mtvec.get('MODE')!.value, '0 (Direct)');
    assert.equal(mtvec.get('BASE')!.value, (await evaluate(dc, '&timer_trap_entry', (await topFrame(dc)).id)).match(/0x[0-9a-f]{8}/)![0]);
    const misa = await children(dc, csrs.get('misa')!);
    assert.equal(misa.get('MXL')!.value, '1 (32-bit)');
    assert.match(misa.get('Extensions')!.value, /^A?C?I?M?/);
    for (const letter of ['A', 'C', 'I', 'M']) assert.ok(misa.get('Extensions')!.value.includes(letter), letter);

    const peripherals = new Map((await scope(dc, 'Peripherals')).map((p) => [p.name, p]));
    assert.deepEqual([...peripherals.keys()], ['UART', 'CLINT', 'PLIC', 'Test finisher']);
    const plic = await children(dc, peripherals.get('PLIC')!);
    assert.equal(plic.get('claim0')!.memoryReference, '0x0c200004');
    assert.match(plic.get('enable0')!.value, /^0x0+\b/, 'the timer example enables no PLIC source');
    const clint = await children(dc, peripherals.get('CLINT')!);
    assert.match(clint.get('mtime')!.type!, /past mtimecmp: timer interrupt pending/);
    assert.ok(Number(/\((\d+)\)$/.exec(clint.get('mtime')!.value)![1]) >= Number(/\((\d+)\)$/.exec(clint.get('mtimecmp')!.value)![1]));
    assert.equal(clint.get('msip')!.memoryReference, '0x02000000');
  } finally {
    await dc.stop();
  }
});

test('at the end of uart.elf: exited (0x5555, pass) by the finisher store, which is shown; the finisher and UART registers', async () => {
  const dc = await startClient();
  try {
    let output = '';
    dc.on('output', (e: DebugProtocol.OutputEvent) => { output += e.body.output; });
    const end = await launchAndStop(dc, { recording: record('uart/uart.elf'), sourceRoot: join(EXAMPLES, 'uart') });
    assert.equal(end.body.description, 'exited (0x5555, pass)'); // the whole sentence is in the Debug Console
    const store = lineOf(join(EXAMPLES, 'uart/uart.S'), 'sw t1, 0(t0)');
    assert.match(output, new RegExp(`The run ended with its store to the test finisher: sw t1,0\\(t0\\) at 0x800000[0-9a-f]{2} \\(uart\\.S:${store}\\), step [\\d,]+; the program exited \\(0x5555, pass\\)\\.`));
    const peripherals = new Map((await scope(dc, 'Peripherals')).map((p) => [p.name, p]));
    const finisher = await children(dc, peripherals.get('Test finisher')!);
    assert.equal(finisher.get('FINISH')!.value, '0x5555 (pass)');
    const uart = await children(dc, peripherals.get('UART')!);
    const lsr = await children(dc, uart.get('LSR')!);
    assert.equal(lsr.get('THRE')!.value, '1');
    assert.equal(lsr.get('DR')!.value, '0');
    assert.match((await children(dc, uart.get('LCR')!)).get('WLS')!.value, /\((5|6|7|8) bits\)$/);
  } finally {
    await dc.stop();
  }
});

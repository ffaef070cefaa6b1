/**
 * Typed input that reaches the guest at steps its own state decides, on QEMU and on Rewind alike: one
 * byte each time the guest's idle task reaches its `wfi` with the receive buffer empty.
 *
 * Why: QEMU reads its stdin when its I/O thread gets to it (host time), one byte whenever the UART's
 * receive buffer is empty (the guest enables no FIFO), while the guest, idle between ticks with
 * `sleep=off`, jumps ahead in virtual time. So with the input on its stdin from the start, where each
 * byte lands among the guest's ticks depends on the host's load: at load 18 "quit" came after the fifth
 * report, and the report count differed from Rewind's (the test failed, and passed on a rerun).
 *
 * QEMU here starts halted with its gdb stub on; a breakpoint on the idle `wfi` stops the guest, and
 * only then is the next byte written to QEMU's stdin, and the guest resumed once the UART holds it (its
 * line status says so). No byte ever waits in the pipe while the guest runs, so nothing depends on the
 * host. What QEMU then does (measured: the stops come one a tick, at the first idle after each tick):
 * the hart, resumed at that `wfi`, sleeps, and takes the receive interrupt when the timer wakes it, at
 * the next tick's step, before the timer's own (the external interrupt ranks first).
 */
import { spawn } from 'node:child_process';
import { OutsideWorld } from '../../emulator/outside';
import { RspClient } from '../gdb/rsp-client';
import { freePort } from '../support/free-port';
import { requireTool } from '../support/toolchain';

const UART_LSR = 0x10000005;
const LSR_DR = 0x01;

export interface TypedRun {
  output: string;
  status: number | null;
}

/**
 * Runs `elf` on QEMU (`-icount shift=0,sleep=off`, UART on stdio) with `input` typed one byte per stop
 * at `idleWfi` (the address of the idle task's `wfi`).
 */
export async function qemuTypedAtIdle(elf: string, input: Uint8Array, idleWfi: number, timeoutMs = 60_000): Promise<TypedRun> {
  requireTool('qemu-system-riscv32');
  const port = await freePort();
  const qemu = spawn('qemu-system-riscv32', ['-M', 'virt', '-bios', 'none', '-display', 'none', '-monitor', 'none',
    '-serial', 'stdio', '-icount', 'shift=0,sleep=off', '-S', '-gdb', `tcp:127.0.0.1:${port}`, '-kernel', elf],
  { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let stderr = '';
  qemu.stdout.setEncoding('latin1').on('data', (d: string) => { output += d; });
  qemu.stderr.setEncoding('latin1').on('data', (d: string) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => qemu.on('close', (code) => resolve(code)));
  const timer = setTimeout(() => qemu.kill('SIGKILL'), timeoutMs);
  try {
    const rsp = await connectWhenOpen(port, () => (qemu.exitCode !== null ? `QEMU exited (${qemu.exitCode}): ${stderr}` : undefined));
    const hex = (n: number): string => n.toString(16);
    const lineStatus = async (): Promise<number> => parseInt(await rsp.request(`m${hex(UART_LSR)},1`), 16);
    if (await rsp.request(`Z0,${hex(idleWfi)},4`) !== 'OK') throw new Error('QEMU refused the breakpoint on the idle wfi');
    let sent = 0;
    while (sent < input.length) {
      const stop = await rsp.request('c');
      if (!stop.startsWith('T') && !stop.startsWith('S')) throw new Error(`QEMU ended before all input was typed (${stop}): ${stderr}`);
      if ((await lineStatus() & LSR_DR) !== 0) continue;
      qemu.stdin.write(input.subarray(sent, sent + 1));
      sent++;
      const deadline = Date.now() + 10_000;
      while ((await lineStatus() & LSR_DR) === 0) {
        if (Date.now() > deadline) throw new Error(`QEMU's UART did not take byte ${sent} within 10 s`);
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    await rsp.request(`z0,${hex(idleWfi)},4`);
    rsp.raw(RspClient.frame('D'));
    const status = await exited;
    rsp.close();
    return { output, status };
  } finally {
    clearTimeout(timer);
    if (qemu.exitCode === null) qemu.kill('SIGKILL');
  }
}

/**
 * Rewind's side of the same input: when the guest asks from an idle `wfi` (awaiting the receive
 * interrupt, so its buffer is empty), the next byte is handed on, and arrives at the step the timer
 * interrupt is due (`timerStep`, the machine's), as on QEMU above; reads in between find nothing.
 */
export class IdleTypedOutside implements OutsideWorld {
  private offset = 0;
  /** The step at which the byte handed on at an idle wait arrives (Infinity: none handed on). */
  private due = Infinity;
  constructor(private readonly input: Uint8Array, private readonly timerStep: () => number) {}
  readConsole(): Uint8Array { return new Uint8Array(0); }
  pollUart(): number | null { return null; }
  uartArrivalStep(step: number, idle: number): number {
    if (idle > 0 && this.due === Infinity && this.offset < this.input.length) this.due = Math.max(step, this.timerStep());
    return this.due;
  }
  idleWaitsBeforeInput(): number { return this.due !== Infinity || this.offset >= this.input.length ? Infinity : 1; }
  uartArrival(): number {
    this.due = Infinity;
    return this.input[this.offset++];
  }
  dateAtStart(): number { return 0; }
}

async function connectWhenOpen(port: number, failed: () => string | undefined): Promise<RspClient> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const why = failed();
    if (why) throw new Error(why);
    try {
      return await RspClient.open(port);
    } catch {
      if (Date.now() > deadline) throw new Error(`QEMU's gdb stub did not open port ${port} within 20 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * QEMU's own record/replay with reverse debugging, as the reference for the stub: records a run of an
 * ELF with `-icount shift=0,rr=record,rrsnapshot=init` (the snapshot needs a qcow2 image; without it
 * reverse-stepi answers a bare E14), then starts the replay paused with a gdb stub on a free port.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../support/free-port';
import { requireTool, scratchDir } from '../support/toolchain';

export interface QemuReplay {
  port: number;
  stop(): void;
}

let counter = 0;

/** QEMU's flags for a program: bare-metal UART output, or semihosting for picolibc programs. */
function programArgs(elf: string, semihosting: boolean): string[] {
  const io = semihosting
    ? ['-semihosting-config', 'enable=on,target=native', '-display', 'none', '-serial', 'none', '-monitor', 'none']
    : ['-nographic', '-monitor', 'none'];
  return ['-M', 'virt', '-bios', 'none', ...io, '-kernel', elf];
}

/** `exitStatus` is the program's own (bug.elf exits with 1 on purpose). */
export async function startQemuReplay(elf: string, semihosting: boolean, exitStatus = 0): Promise<QemuReplay> {
  requireTool('qemu-system-riscv32');
  const dir = scratchDir();
  const name = `qemu-rr-${process.pid}-${counter++}`;
  const image = join(dir, `${name}.qcow2`);
  const log = join(dir, `${name}.rr`);
  const img = spawnSync('qemu-img', ['create', '-f', 'qcow2', image, '64M'], { encoding: 'utf8' });
  if (img.status !== 0) throw new Error(`qemu-img create failed (it comes with qemu-utils): ${img.stderr}`);
  const rr = (mode: string): string[] => ['-icount', `shift=0,rr=${mode},rrfile=${log},rrsnapshot=init`, '-drive', `file=${image},if=none,id=rr`];
  const record = spawnSync('qemu-system-riscv32', [...programArgs(elf, semihosting), ...rr('record')], { encoding: 'utf8', timeout: 60_000 });
  if (record.status !== exitStatus) throw new Error(`QEMU's recording of ${elf} failed (status ${record.status}): ${record.stderr}`);
  const port = await freePort();
  const child: ChildProcess = spawn('qemu-system-riscv32', [...programArgs(elf, semihosting), ...rr('replay'), '-gdb', `tcp:127.0.0.1:${port}`, '-S'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  try {
    await waitForPort(port, () => (child.exitCode !== null ? `QEMU exited (${child.exitCode}): ${stderr}` : undefined));
  } catch (e) {
    child.kill('SIGKILL'); // else a QEMU that never opened its port outlives the test
    throw e;
  }
  return { port, stop: () => child.kill('SIGKILL') };
}

async function waitForPort(port: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const why = failed();
    if (why) throw new Error(why);
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    // QEMU's gdb stub takes one client: the probe above is over before gdb connects.
    if (open) return;
    if (Date.now() > deadline) throw new Error(`QEMU's gdb stub did not open port ${port} within 20 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A machine's state besides RAM (CoreState, machine-config.ts) taken as plain data and put back: every
 * checkpoint of a recording takes it, every seek to a snapshot puts it back.
 */
import { CsrFile } from './cpu/csr-file';
import { Clint } from './devices/clint';
import { Plic } from './devices/plic';
import { Uart } from './devices/uart';
import { CoreState } from './machine-config';
import { Semihosting } from './semihosting';

/** The parts of the machine whose state CoreState holds: its plain fields as they are, the rest live. */
export interface CoreParts extends Pick<CoreState, 'pc' | 'privilege' | 'step' | 'unretired' | 'reservation' | 'halted'> {
  readonly x: Int32Array;
  readonly csr: CsrFile;
  readonly clint: Clint;
  readonly uart: Uart;
  readonly plic: Plic;
  readonly semihosting: Semihosting;
}

/** Taken at every checkpoint of a recording, mostly while V8 interprets it: no iterator, no spread; keys in VirtBoard.save's order (the JSON is hashed). */
export function coreStateOf(m: CoreParts): CoreState {
  const registers = new Array<number>(32);
  for (let i = 0; i < 32; i++) registers[i] = m.x[i];
  return { x: registers, pc: m.pc, privilege: m.privilege, step: m.step, unretired: m.unretired, reservation: m.reservation,
    halted: m.halted, csr: m.csr.save(), clint: m.clint.save(), uart: m.uart.save(), plic: m.plic.save(), semihosting: m.semihosting.save() };
}

/** Puts `s` back; `devices` restores the board's devices (VirtBoard.restore). */
export function restoreCoreState(m: CoreParts, devices: { restore(s: CoreState): void }, s: CoreState): void {
  m.x.set(s.x);
  m.x[32] = 0;
  m.pc = s.pc;
  m.privilege = s.privilege;
  m.step = s.step;
  m.unretired = s.unretired;
  m.reservation = s.reservation;
  m.halted = s.halted;
  m.csr.restore(s.csr);
  devices.restore(s);
  m.semihosting.restore(s.semihosting);
}

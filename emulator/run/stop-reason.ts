/**
 * What a run can be asked to stop at, and why it stopped: plain data shared by the machine
 * (machine.ts), its stop checks (run/stop-conditions.ts) and everything above the emulator.
 */

/** A data watchpoint: stop after an access to `[address, address + length)`. */
export interface Watchpoint {
  readonly address: number;
  readonly length: number;
  readonly access: 'read' | 'write' | 'readWrite';
}

/**
 * Why `run` returned. For breakpoints the machine stops before the instruction at `address`; for
 * watchpoints and traps it stops after the step that hit them, and `hitStep` is that step (the position
 * just before it, where a reverse search stops). 'ended': the run was ended before its step limit where
 * its caller asked the machine to end it (Machine.endRun); the guest goes on as after 'limit'.
 */
export type StopReason =
  | { kind: 'limit' }
  | { kind: 'ended' }
  | { kind: 'breakpoint'; address: number }
  | { kind: 'watchpoint'; address: number; size: number; access: 'read' | 'write'; pc: number; hitStep: number; watch: Watchpoint }
  | { kind: 'trap'; mcause: number; pc: number; hitStep: number }
  | { kind: 'exit'; code: number; via: 'semihosting' | 'test-finisher' | 'htif' }
  | { kind: 'input' }
  | { kind: 'reset' }
  | { kind: 'stuck'; message: string };

/**
 * A program that polls the UART for input in a loop after its input has ended (the --stdin file ran
 * out, or the terminal sent end-of-file) can never go on. QEMU would run it forever; the command line
 * says so and stops, as it does for a jump to itself (endless-loop.ts). A terminal that is still open
 * never ends: there the program waits for the user, as it should.
 *
 * Proven, not guessed: from where the machine stands, its next instructions are run on a copy of the
 * registers, allowing only register arithmetic, branches, jumps and loads from RAM or from the UART's
 * line status (which, with the input ended and no byte held, reads the same every time). If the copy
 * comes back to a pc with the very registers it had there, having read the line status in between, it
 * will go round that loop forever: nothing it does changes anything it reads. A loop that stores,
 * touches a CSR or another device, or that an interrupt could break into, is left to run.
 */
import { Machine } from '../emulator/machine';
import { Mstatus } from '../emulator/cpu/csr-file';
import { compile, ExecContext } from '../emulator/cpu/compile';
import { decode } from '../emulator/isa/decode';
import { UART_BASE } from '../emulator/devices/uart';
import { hexAddress as hex } from '../emulator/hex';

const UART_LSR = UART_BASE + 5;
/** The line status with nothing received: transmitter empty and idle, no data ready. */
const LSR_NO_DATA = 0x60;
const INTERRUPTS = (1 << 1) | (1 << 3) | (1 << 5) | (1 << 7) | (1 << 9) | (1 << 11);
/** How far the copy runs looking for the loop: enough for any polling loop, cheap once per slice. */
const MAX_STEPS = 10_000;

const ALLOWED = new Set([
  'lui', 'auipc', 'jal', 'jalr', 'beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu', 'lb', 'lh', 'lw', 'lbu', 'lhu',
  'addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'slli', 'srli', 'srai', 'add', 'sub', 'sll', 'slt', 'sltu',
  'xor', 'srl', 'sra', 'or', 'and', 'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'fence',
]);

/** Anything the copy may not do: the loop is not proven endless. */
class NotProven extends Error {}

/** How the input ended, for the sentence below (undefined: it has not). */
export function inputEnd(ended: boolean, stdinFile: string | boolean | undefined): string | undefined {
  if (!ended) return undefined;
  return typeof stdinFile === 'string' ? `the --stdin file ${stdinFile} has no more input` : 'standard input has ended';
}

/**
 * A sentence saying that the program polls ended input forever, or undefined if that is not proven;
 * `ended` says how the input ended (see inputEnd), undefined while it has not.
 */
export function pollsEndedInput(machine: Machine, ended: string | undefined): string | undefined {
  if (ended === undefined || machine.halted || machine.translating || machine.uart.holdsByte) return undefined;
  const interruptsOn = machine.privilege !== 3 || (machine.csr.mstatus & Mstatus.MIE) !== 0;
  if (interruptsOn && (machine.csr.mie & INTERRUPTS) !== 0) return undefined;
  const { ramBase, ramSize } = machine.config;
  let polls = 0;
  const fail = (): never => { throw new NotProven(); };
  const copy = {
    x: Int32Array.from(machine.x), ram: machine.ram, csr: machine.csr, accessPc: 0, reservation: -1,
    privilege: machine.privilege, watchingReads: false,
    // Every load takes the slow path below: nothing is read from the real machine's fast path.
    translating: true,
    load(address: number, size: 1 | 2 | 4, signed: boolean): number {
      address >>>= 0;
      if (address === UART_LSR && size === 1) {
        polls++;
        return LSR_NO_DATA;
      }
      if (address < ramBase || address + size > ramBase + ramSize) fail();
      const b = machine.peek(address, size);
      const value = size === 1 ? b[0] : size === 2 ? b[0] | (b[1] << 8) : b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24);
      const shift = 32 - 8 * size;
      return size === 4 ? value | 0 : signed ? (value << shift) >> shift : value;
    },
    store: fail, trap: fail, ebreak: fail, mret: fail, sret: fail, fenceTranslations: fail, recheckInterrupts: fail, waitForInterrupt: fail,
  } satisfies ExecContext;
  // Where the copy has been: the registers at its last visit of each pc, and the polls made before it.
  const visits = new Map<number, { x: Int32Array; polls: number }>();
  let pc = machine.pc >>> 0;
  try {
    for (let i = 0; i < MAX_STEPS; i++) {
      const seen = visits.get(pc);
      if (seen !== undefined && seen.polls < polls && sameRegisters(seen.x, copy.x)) {
        return `the program polls the UART for input forever at pc ${hex(pc)} (step ${machine.step.toLocaleString('en-US')}), ` +
          `and ${ended}, so it can never go on`;
      }
      visits.set(pc, { x: Int32Array.from(copy.x), polls });
      const bytes = machine.peek(pc, 4);
      const word = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
      const decoded = decode((word & 3) === 3 ? word : word & 0xffff);
      if (decoded === undefined || !ALLOWED.has(decoded.spec.name)) return undefined;
      pc = compile(decoded, pc, copy)() >>> 0;
    }
  } catch (e) {
    if (e instanceof NotProven) return undefined;
    throw e;
  }
  return undefined;
}

function sameRegisters(a: Int32Array, b: Int32Array): boolean {
  for (let n = 1; n < 32; n++) if (a[n] !== b[n]) return false;
  return true;
}

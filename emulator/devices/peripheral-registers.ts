/**
 * The devices' registers as a debugger shows them (Cortex-Debug's peripheral view): UART, CLINT, PLIC and
 * the test finisher of the `virt` board, each register with its fields. Read from the devices' saved state,
 * never through the bus: reading the UART's receive buffer or line status would change the device.
 */
import { BitField } from '../isa/bit-fields';
import { Machine } from '../machine';
import { CLINT_BASE } from './clint';
import { UART_BASE } from './uart';
import { TEST_FINISHER_BASE } from './test-finisher';
import { PLIC_BASE } from './plic';
import { UART_IRQ } from './uart-input';

export interface PeripheralRegister {
  readonly name: string;
  readonly address: number;
  /** The value as a number (64-bit registers rounded above 2^53, as the CLINT shows them). */
  readonly value: number;
  /** Bytes, for the hex width. */
  readonly width: 1 | 4 | 8;
  readonly description: string;
  readonly fields?: readonly BitField[];
  /** Instead of a number: what the register says (the finisher's outcome). */
  readonly text?: string;
}

export interface Peripheral {
  readonly name: string;
  readonly base: number;
  readonly description: string;
  readonly registers: readonly PeripheralRegister[];
}

const flag = (name: string, bit: number, description: string): BitField => ({ name, hi: bit, lo: bit, description });

const IER: BitField[] = [flag('ERBFI', 0, 'interrupt when a byte is received'), flag('ETBEI', 1, 'interrupt when the transmitter is empty'), flag('ELSI', 2, 'interrupt on a line status change'), flag('EDSSI', 3, 'interrupt on a modem status change')];
const LCR: BitField[] = [
  { name: 'WLS', hi: 1, lo: 0, description: 'bits per character', values: { 0: '5 bits', 1: '6 bits', 2: '7 bits', 3: '8 bits' } },
  { name: 'STB', hi: 2, lo: 2, description: 'stop bits', values: { 0: '1', 1: '2' } },
  flag('PEN', 3, 'parity enabled'), flag('EPS', 4, 'even parity'), flag('BC', 6, 'break'), flag('DLAB', 7, 'divisor latch access: offsets 0 and 1 are the baud divisor'),
];
const MCR: BitField[] = [flag('DTR', 0, 'data terminal ready'), flag('RTS', 1, 'request to send'), flag('OUT1', 2, 'output 1'), flag('OUT2', 3, 'output 2 (interrupts to the PLIC)'), flag('LOOP', 4, 'loopback')];
const LSR: BitField[] = [flag('DR', 0, 'a received byte is waiting'), flag('THRE', 5, 'the transmit holding register is empty'), flag('TEMT', 6, 'the transmitter is empty')];
const FCR: BitField[] = [flag('FIFOE', 0, 'FIFOs enabled')];
const IIR: BitField[] = [flag('NOINT', 0, 'no interrupt pending'), { name: 'ID', hi: 3, lo: 1, description: 'which interrupt', values: { 0: 'modem status', 1: 'transmitter empty', 2: 'received data', 3: 'line status' } }];
const MSIP: BitField[] = [flag('MSIP', 0, 'machine software interrupt requested')];

export function peripherals(machine: Machine): Peripheral[] {
  const uart = machine.uart.save() as { ier: number; lcr: number; mcr: number; scr: number; divisor: number; fcr: number; held: number | null; transmitEmpty: boolean };
  const clint = machine.clint;
  const plic = machine.plic;
  const plicRegister = (name: string, offset: number, description: string): PeripheralRegister =>
    ({ name, address: PLIC_BASE + offset, value: plic.peekWord(offset) >>> 0, width: 4, description });
  const finished = machine.halted?.kind === 'exit' && machine.halted.via === 'test-finisher' ? machine.halted : undefined;
  return [
    {
      name: 'UART', base: UART_BASE, description: 'NS16550A serial port (the console)',
      registers: [
        { name: 'IER', address: UART_BASE + 1, value: uart.ier, width: 1, description: 'interrupt enable', fields: IER },
        { name: 'FCR', address: UART_BASE + 2, value: uart.fcr, width: 1, description: 'FIFO control (write-only; the last value written)', fields: FCR },
        { name: 'LCR', address: UART_BASE + 3, value: uart.lcr, width: 1, description: 'line control', fields: LCR },
        { name: 'MCR', address: UART_BASE + 4, value: uart.mcr, width: 1, description: 'modem control', fields: MCR },
        { name: 'LSR', address: UART_BASE + 5, value: 0x60 | (uart.held !== null ? 1 : 0), width: 1, description: 'line status (transmits complete at once here)', fields: LSR },
        { name: 'IIR', address: UART_BASE + 2, value: (uart.fcr & 1 ? 0xc0 : 0) | (uart.ier & 1 && uart.held !== null ? 0x04 : uart.ier & 2 && uart.transmitEmpty ? 0x02 : 0x01), width: 1, description: 'interrupt identification (read-only): 0x04 received data, 0x02 transmitter empty, bit 0 set: none', fields: IIR },
        { name: 'SCR', address: UART_BASE + 7, value: uart.scr, width: 1, description: 'scratch' },
        { name: 'DL', address: UART_BASE, value: uart.divisor, width: 4, description: 'baud rate divisor (DLL and DLM, with LCR.DLAB set)' },
      ],
    },
    {
      name: 'CLINT', base: CLINT_BASE, description: 'core-local interruptor: timer and software interrupt',
      registers: [
        { name: 'msip', address: CLINT_BASE, value: clint.msip, width: 4, description: 'machine software interrupt pending', fields: MSIP },
        { name: 'mtimecmp', address: CLINT_BASE + 0x4000, value: clint.mtimecmp, width: 8, description: 'timer compare: the timer interrupt is pending while mtime ≥ mtimecmp' },
        { name: 'mtime', address: CLINT_BASE + 0xbff8, value: clint.mtime(), width: 8, description: `timer, ${machine.config.stepsPerTick} instruction steps per tick (${clint.timerPending() ? 'past mtimecmp: timer interrupt pending' : 'before mtimecmp'})` },
      ],
    },
    {
      name: 'PLIC', base: PLIC_BASE, description: 'platform-level interrupt controller: context 0 is M-mode (MEIP), context 1 S-mode (SEIP)',
      registers: [
        plicRegister('priority10', 4 * UART_IRQ, 'priority of source 10, the UART (0 never interrupts)'),
        plicRegister('pending', 0x1000, 'pending sources 0–31 (bit 10: the UART)'),
        plicRegister('enable0', 0x2000, 'sources 0–31 enabled for context 0 (M-mode)'),
        plicRegister('threshold0', 0x200000, 'context 0 takes priorities above this'),
        plicRegister('claim0', 0x200004, 'the source a claim by context 0 would return now (reading it here claims nothing)'),
        plicRegister('enable1', 0x2080, 'sources 0–31 enabled for context 1 (S-mode)'),
        plicRegister('threshold1', 0x201000, 'context 1 takes priorities above this'),
        plicRegister('claim1', 0x201004, 'the source a claim by context 1 would return now (reading it here claims nothing)'),
      ],
    },
    {
      name: 'Test finisher', base: TEST_FINISHER_BASE, description: 'SiFive test device: a write of 0x5555 passes, (code << 16) | 0x3333 fails, 0x7777 resets',
      registers: [
        {
          name: 'FINISH', address: TEST_FINISHER_BASE, value: finished ? (finished.code === 0 ? 0x5555 : ((finished.code << 16) | 0x3333) >>> 0) : 0, width: 4,
          description: 'write-only: ends the run',
          text: finished ? (finished.code === 0 ? '0x5555 (pass)' : `0x${(((finished.code << 16) | 0x3333) >>> 0).toString(16)} (fail, code ${finished.code})`) : 'not written',
        },
      ],
    },
  ];
}

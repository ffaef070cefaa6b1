/**
 * What the debug adapter and the GDB stub know about a program beyond its bytes: the contract between
 * the symbol reader (ELF symbols, DWARF line/info/frame, all in `debugger/symbols/`) and its users.
 * `loadProgramSymbols` in `program-symbols.ts` builds one from an ELF image.
 *
 * Addresses are unsigned 32-bit numbers. Lines are 1-based, as in DWARF (the DAP session converts to the
 * client's base). File paths are absolute: DWARF names relative to DW_AT_comp_dir ("." in our examples)
 * are resolved against the directory of the ELF file (or `sourceRoot` when given).
 */

/** Where a machine state can be read: registers and memory at one step. */
export interface MachineView {
  /** x0..x31 as unsigned numbers. */
  register(n: number): number;
  readonly pc: number;
  /** Reads guest memory; returns fewer bytes (or none) where nothing is mapped. */
  readMemory(address: number, length: number): Uint8Array;
  /**
   * The trap CSRs of M- and S-mode, for unwinding out of a trap handler into the code it interrupted
   * (when known). The S-mode ones and the causes may be absent (0).
   */
  trapState?(): TrapState;
}

export interface TrapState {
  mtvec: number;
  mepc: number;
  mcause?: number;
  stvec?: number;
  sepc?: number;
  scause?: number;
}

export interface SourceLocation {
  /** Absolute path. */
  file: string;
  line: number;
  column?: number;
}

export interface FunctionInfo {
  name: string;
  /** [low, high) */
  low: number;
  high: number;
  /** Where the function is declared, when DWARF says. */
  declaration?: SourceLocation;
  /**
   * An ELF label without a size (assembly): taken to reach up to the next global label, so code after
   * a local label in it still belongs to it for stepping, but the call stack names such code by `label`.
   */
  unsized?: true;
}

/** A type, with typedefs kept (for display) and qualifiers (const/volatile) dropped. */
export type TypeInfo =
  | { kind: 'base'; name: string; size: number; encoding: 'signed' | 'unsigned' | 'signedChar' | 'unsignedChar' | 'boolean' | 'float' }
  | { kind: 'pointer'; size: number; target?: TypeInfo /* undefined = void */ }
  | { kind: 'array'; element: TypeInfo; count?: number /* undefined = unknown bound */ }
  | { kind: 'struct' | 'union'; name?: string; size: number; members: MemberInfo[] }
  | { kind: 'enum'; name?: string; size: number; enumerators: Array<{ name: string; value: number }> }
  | { kind: 'typedef'; name: string; target: TypeInfo }
  | { kind: 'function'; name?: string }
  | { kind: 'void' };

export interface MemberInfo {
  name: string;
  /** Byte offset in the struct. */
  offset: number;
  type: TypeInfo;
  /** For bit fields: bit size and bit offset from the start of the member's storage (DW_AT_data_bit_offset). */
  bitSize?: number;
  bitOffset?: number;
}

/** Where a variable's value lives at one moment. */
export type ValueLocation =
  | { kind: 'memory'; address: number }
  | { kind: 'register'; register: number }
  /** DW_OP_stack_value / DW_OP_implicit_value: the bytes of the value itself (little-endian). */
  | { kind: 'value'; bytes: Uint8Array }
  /** DW_OP_piece: the parts, in order. */
  | { kind: 'pieces'; pieces: Array<{ size: number; location: ValueLocation }> }
  /** Optimized out or outside its location list ranges here. */
  | { kind: 'unavailable' };

export interface VariableInfo {
  name: string;
  type: TypeInfo;
  kind: 'parameter' | 'local' | 'global';
  declaration?: SourceLocation;
  /** Identifies the variable to `locate` (its DIE's offset), so that a copy of this object still works. */
  id?: number;
}

/** One frame of the call stack, innermost first. */
export interface Frame {
  /** The frame's pc: for outer frames the return address minus one instruction's worth is used for lookups, but `pc` is the return address. */
  pc: number;
  function?: FunctionInfo;
  /** Source location of `pc` (for outer frames: of the call). */
  location?: SourceLocation;
  /** Canonical frame address (DWARF CFA). */
  cfa: number;
  /** The register values of this frame, as recovered by CFI (undefined = not recoverable). */
  register(n: number): number | undefined;
  /**
   * Set on the frame that stands for a trap between a handler and the code it interrupted (as gdb's
   * `<signal handler called>`): its pc is where the interrupted code resumes (mepc or sepc), and it has
   * no registers of its own. The next frame is the interrupted code.
   */
  trap?: { cause: number; mode: 'machine' | 'supervisor' };
  /**
   * The nearest code label at or before the frame's code in its section (local labels too), when no
   * function with a size covers it: what gdb calls such a frame. See frame-name.ts.
   */
  label?: string;
}

export interface ProgramSymbols {
  /** Source files with line information, absolute. */
  sourceFiles(): string[];
  /** The source line of an address (the line table row covering it). */
  locationAt(pc: number): SourceLocation | undefined;
  /** True when `pc` is the first address of a statement row (is_stmt) of the line table. */
  isStatementStart(pc: number): boolean;
  /**
   * Where a line breakpoint goes: the requested line if it has code, else the nearest following line
   * with code in the same file (within the same function when possible); its statement-start addresses.
   */
  resolveLine(file: string, line: number): { line: number; addresses: number[] } | undefined;
  /** The function (DWARF subprogram, else ELF function symbol) containing `pc`. */
  functionAt(pc: number): FunctionInfo | undefined;
  functionNamed(name: string): FunctionInfo | undefined;
  /** ELF symbol lookup: the symbol containing `address` (name and offset), e.g. for disassembly labels. */
  symbolAt(address: number): { name: string; offset: number } | undefined;
  /** The nearest code label at or before `address` in its section, local labels too (see Frame.label). */
  labelAt?(address: number): string | undefined;
  /**
   * The nearest ELF symbol at or before `address`, sizes ignored, as objdump and gdb's disassembler
   * label a jump target or a formed address (`<names+0x80>`); the offset is negative for an address
   * before every symbol. `from`, the address of the instruction that names it, breaks ties as objdump does.
   */
  nearestSymbol?(address: number, from?: number): { name: string; offset: number } | undefined;
  /** Address of a global symbol (function or object) by name. */
  addressOf(name: string): number | undefined;
  /** The call stack from `view`, innermost first, by .debug_frame CFI (at most `maxFrames`). */
  unwind(view: MachineView, maxFrames?: number): Frame[];
  /** Parameters then locals in scope at the frame's pc (innermost lexical block first, shadowing applied). */
  localsAt(frame: Frame): VariableInfo[];
  /** Global and file-static variables. */
  globals(): VariableInfo[];
  /** Where a variable (from localsAt or globals) lives in `frame` (location expressions and lists evaluated). */
  locate(variable: VariableInfo, frame: Frame | undefined, view: MachineView): ValueLocation;
  /** The size of a type in bytes (typedefs followed). */
  sizeOf(type: TypeInfo): number;
  /** What of the debug info could not be read, as sentences (empty when all was well); the rest is still usable. */
  problems?(): string[];
}

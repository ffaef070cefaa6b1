/**
 * Statement starts (is_stmt rows of the line table) by function and for the whole program: where
 * statement stepping may stop, and the addresses a history scan puts temporary breakpoints on.
 */
import { existsSync } from 'node:fs';
import { ElfImage } from '../emulator/elf';
import { Frame, FunctionInfo, ProgramSymbols } from './symbols/api';

const SHF_EXECINSTR_SECTIONS = (image: ElfImage) => image.sections.filter((s) => s.type === 1 && s.addr !== 0 && s.size > 0 && /^\.text/.test(s.name));

export class Statements {
  private readonly byFunction = new Map<number, number[]>();
  private withSource?: number[];
  private readonly sourceExists = new Map<string, boolean>();

  constructor(private readonly symbols: ProgramSymbols, private readonly image: ElfImage) {}

  /** Statement starts inside a function, ascending (compressed code: every halfword is a candidate). */
  inFunction(fn: FunctionInfo): number[] {
    let list = this.byFunction.get(fn.low);
    if (!list) {
      list = [];
      for (let a = fn.low; a < fn.high; a += 2) if (this.symbols.isStatementStart(a)) list.push(a);
      this.byFunction.set(fn.low, list);
    }
    return list;
  }

  /** Every statement start whose source file exists on disk: where "step into" may stop. */
  all(): number[] {
    if (!this.withSource) {
      const list: number[] = [];
      for (const section of SHF_EXECINSTR_SECTIONS(this.image)) {
        for (let a = section.addr; a < section.addr + section.size; a += 2) {
          if (this.symbols.isStatementStart(a) && this.hasSource(a)) list.push(a);
        }
      }
      this.withSource = list;
    }
    return this.withSource;
  }

  hasSource(pc: number): boolean {
    return this.fileExists(this.symbols.locationAt(pc)?.file);
  }

  /** Whether a frame shows a source line (an outer frame's location is its call's). */
  frameHasSource(frame: Frame): boolean {
    return !frame.trap && this.fileExists(frame.location?.file);
  }

  private fileExists(file: string | undefined): boolean {
    if (!file) return false;
    let known = this.sourceExists.get(file);
    if (known === undefined) this.sourceExists.set(file, (known = existsSync(file)));
    return known;
  }

  /** Where a function breakpoint goes: the first statement after the prologue (the body's first line). */
  bodyStart(fn: FunctionInfo): number {
    const starts = this.inFunction(fn);
    const entryLine = this.symbols.locationAt(fn.low)?.line;
    return starts.find((a) => a > fn.low && this.symbols.locationAt(a)?.line !== entryLine) ?? fn.low;
  }
}

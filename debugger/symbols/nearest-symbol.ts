/**
 * objdump's way of naming an address: the nearest symbol at or before it, whatever its size, so that
 * `80002620 <names>` labels 0x800026a0 as `<names+0x80>` (and an address before every symbol is named
 * after the first, with a negative offset). Section and file symbols name nothing. Of several symbols
 * at one address objdump prefers, in order: one in the section of the instruction being shown, a
 * larger one, the first by name.
 */
import { ElfSection, ElfSymbol } from '../../emulator/elf';

export class NearestSymbols {
  private readonly sorted: ElfSymbol[];

  constructor(symbols: readonly ElfSymbol[], private readonly sections: readonly ElfSection[]) {
    this.sorted = symbols
      .filter((s) => s.name !== '' && s.type !== 'section' && s.type !== 'file' && s.sectionIndex !== 0 && !s.name.startsWith('$'))
      .sort((a, b) => (a.value >>> 0) - (b.value >>> 0) || b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The symbol naming `address`; `from` is the address of the instruction that refers to it. */
  at(address: number, from?: number): ElfSymbol | undefined {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sorted[mid].value >>> 0) <= address) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return this.sorted[0];
    let i = lo - 1;
    while (i > 0 && this.sorted[i - 1].value === this.sorted[i].value) i--;
    const section = from === undefined ? -1 : this.sectionOf(from);
    for (let k = i; k < lo; k++) if (this.sorted[k].sectionIndex === section) return this.sorted[k];
    return this.sorted[i];
  }

  private sectionOf(address: number): number {
    return this.sections.findIndex((s) => s.size > 0 && s.addr !== 0 && address >= s.addr && address < s.addr + s.size);
  }
}

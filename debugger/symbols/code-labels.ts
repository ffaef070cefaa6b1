/**
 * The labels of code, as gdb's minimal symbols name assembly: the nearest code symbol at or before an
 * address in the same section, local labels included (`machine_trap` in a file whose only global label
 * is `_start`). The call stack names a frame this way when no function with a size covers its pc, the
 * way gdb's backtrace does.
 */
import { ElfImage, ElfSymbol } from '../../emulator/elf';
import { lastStartingAtOrBefore } from './sorted-spans';
import { inCodeSection } from './functions';

interface Label { low: number; name: string; section: number }

export class CodeLabels {
  private readonly labels: Label[];

  constructor(private readonly image: ElfImage) {
    const named = (s: ElfSymbol): boolean => s.name !== '' && !s.name.startsWith('$') && !s.name.startsWith('.L');
    this.labels = image.symbols
      .filter((s) => (s.type === 'func' || s.type === 'notype') && named(s) && inCodeSection(image, s))
      // Of several labels at one address, a global one names it (the one other files call).
      .sort((a, b) => a.value - b.value || (a.bind === 'local' ? 1 : 0) - (b.bind === 'local' ? 1 : 0))
      .map((s) => ({ low: s.value >>> 0, name: s.name, section: s.sectionIndex }));
  }

  /** The label at or before `address` in the section that holds it, if any. */
  at(address: number): string | undefined {
    address >>>= 0;
    let i = lastStartingAtOrBefore(this.labels, address);
    while (i > 0 && this.labels[i - 1].low === this.labels[i].low) i--;
    const label = this.labels[i];
    if (label === undefined) return undefined;
    const section = this.image.sections[label.section];
    return address < section.addr + section.size ? label.name : undefined;
  }
}

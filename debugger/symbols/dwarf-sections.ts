/** The DWARF sections of an ELF image, by name; an absent section is empty. */
import { ElfImage } from '../../emulator/elf';

export interface DwarfSections {
  info: Uint8Array;
  abbrev: Uint8Array;
  line: Uint8Array;
  str: Uint8Array;
  lineStr: Uint8Array;
  addr: Uint8Array;
  strOffsets: Uint8Array;
  rnglists: Uint8Array;
  ranges: Uint8Array;
  loclists: Uint8Array;
  loc: Uint8Array;
  frame: Uint8Array;
}

export function dwarfSections(image: ElfImage): DwarfSections {
  const get = (name: string): Uint8Array => image.section(name)?.data ?? new Uint8Array(0);
  return {
    info: get('.debug_info'),
    abbrev: get('.debug_abbrev'),
    line: get('.debug_line'),
    str: get('.debug_str'),
    lineStr: get('.debug_line_str'),
    addr: get('.debug_addr'),
    strOffsets: get('.debug_str_offsets'),
    rnglists: get('.debug_rnglists'),
    ranges: get('.debug_ranges'),
    loclists: get('.debug_loclists'),
    loc: get('.debug_loc'),
    frame: get('.debug_frame'),
  };
}

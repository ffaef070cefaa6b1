/**
 * Symbols that the GNU linker's default RISC-V script defines (`riscv64-unknown-elf-ld -m elf32lriscv
 * --verbose`). Start-up code refers to them without defining them (`la gp, __global_pointer$`), so the
 * undefined-symbol diagnostic must know them; a project's own linker scripts are read from the workspace.
 */
export const DEFAULT_LINKER_SYMBOLS: ReadonlySet<string> = new Set([
  '__BSS_END__', '__DATA_BEGIN__', '__SDATA_BEGIN__', '__bss_start', '__etext', '__executable_start',
  '__fini_array_end', '__fini_array_start', '__global_pointer$', '__init_array_end', '__init_array_start',
  '__preinit_array_end', '__preinit_array_start', '__rela_iplt_end', '__rela_iplt_start', '__tdata_start',
  '_edata', '_end', '_etext', 'edata', 'end', 'etext',
]);

/**
 * The assembler's relocation operators (`%hi(sym)` and friends): they split an address into the parts
 * that `lui`/`auipc` and a 12-bit immediate can hold. Read by the grammar, hover, completion and the
 * operand check (an immediate written with one of these is not range-checked: the linker fills it in).
 */

export interface RelocationSpec {
  /** Without the `%`. */
  readonly name: string;
  readonly description: string;
}

export const RELOCATIONS: readonly RelocationSpec[] = [
  { name: 'hi', description: 'upper 20 bits of an absolute address, rounded so that adding %lo gives the address; for lui' },
  { name: 'lo', description: 'lower 12 bits of an absolute address (signed); for addi, loads and stores after lui %hi' },
  { name: 'pcrel_hi', description: 'upper 20 bits of the distance from this auipc to the symbol' },
  { name: 'pcrel_lo', description: 'lower 12 bits of a pc-relative distance; its operand is the label of the matching auipc %pcrel_hi' },
  { name: 'tprel_hi', description: 'upper 20 bits of the symbol\'s offset from the thread pointer (local-exec TLS)' },
  { name: 'tprel_lo', description: 'lower 12 bits of the symbol\'s offset from the thread pointer (local-exec TLS)' },
  { name: 'tprel_add', description: 'marks the `add rd, rd, tp, %tprel_add(sym)` of a local-exec TLS sequence' },
  { name: 'tls_ie_pcrel_hi', description: 'upper 20 bits of the pc-relative address of the symbol\'s GOT entry (initial-exec TLS)' },
  { name: 'tls_gd_pcrel_hi', description: 'upper 20 bits of the pc-relative address of the symbol\'s TLS GOT entry (global-dynamic TLS)' },
  { name: 'got_pcrel_hi', description: 'upper 20 bits of the pc-relative address of the symbol\'s GOT entry' },
  { name: 'tlsdesc_hi', description: 'upper 20 bits of the pc-relative address of the symbol\'s TLS descriptor' },
  { name: 'tlsdesc_load_lo', description: 'lower 12 bits for loading a TLS descriptor\'s resolver' },
  { name: 'tlsdesc_add_lo', description: 'lower 12 bits for the address of a TLS descriptor' },
  { name: 'tlsdesc_call', description: 'marks the call of a TLS descriptor\'s resolver' },
];

const byName = new Map(RELOCATIONS.map((r) => [r.name, r]));

/** The relocation operator `name` (without `%`), if the assembler has it. */
export const relocationByName = (name: string): RelocationSpec | undefined => byName.get(name);

/**
 * The target description gdb reads with `qXfer:features:read:target.xml`: architecture `riscv:rv32`,
 * the 32 integer registers and pc (gdb's numbers 0–32), the CSRs the machine implements (gdb's number is
 * 65 + the CSR number, as QEMU and gdb's own RISC-V target use), and the privilege level as `priv`.
 * Names follow QEMU's `riscv-32bit-cpu.xml`, which gdb's RISC-V support checks against.
 */
import { CSRS } from '../emulator/isa/csrs';
import { REGISTERS } from '../emulator/isa/registers';

export const PC_REGNUM = 32;
export const CSR_REGNUM_BASE = 65;
export const PRIV_REGNUM = CSR_REGNUM_BASE + 0x1000;

function integerRegisters(): string {
  const lines = REGISTERS.map((r) => {
    const type = r.abi === 'sp' || r.abi === 'gp' || r.abi === 'tp' || r.abi === 's0' ? 'data_ptr' : r.abi === 'ra' ? 'code_ptr' : 'int';
    const name = r.abi === 's0' ? 'fp' : r.abi;
    return `    <reg name="${name}" bitsize="32" type="${type}" regnum="${r.number}"/>`;
  });
  lines.push(`    <reg name="pc" bitsize="32" type="code_ptr" regnum="${PC_REGNUM}"/>`);
  return lines.join('\n');
}

function csrRegisters(): string {
  return [...CSRS]
    .sort((a, b) => a.number - b.number)
    .map((c) => `    <reg name="${c.name}" bitsize="32" type="int" regnum="${CSR_REGNUM_BASE + c.number}" group="csr"/>`)
    .join('\n');
}

export const TARGET_XML = `<?xml version="1.0"?>
<!DOCTYPE target SYSTEM "gdb-target.dtd">
<target version="1.0">
  <architecture>riscv:rv32</architecture>
  <feature name="org.gnu.gdb.riscv.cpu">
${integerRegisters()}
  </feature>
  <feature name="org.gnu.gdb.riscv.csr">
${csrRegisters()}
  </feature>
  <feature name="org.gnu.gdb.riscv.virtual">
    <reg name="priv" bitsize="32" type="int" regnum="${PRIV_REGNUM}" group="general"/>
  </feature>
</target>
`;

/** The CSR numbers described above (gdb numbers them CSR_REGNUM_BASE + the CSR number). */
export const CSR_NUMBERS: readonly number[] = CSRS.map((c) => c.number);

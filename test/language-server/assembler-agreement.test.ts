/**
 * The diagnostics agree with the GNU assembler: a line it accepts gets no diagnostic, a line it rejects
 * gets an error. Every claim is checked against the real `riscv64-unknown-elf-as` (through gcc, as the
 * examples are built), so the server's leniency and strictness are facts, not guesses. Runs in-process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { INSTRUCTIONS, PSEUDO_INSTRUCTIONS } from '../../emulator/isa/instructions';
import { documentDiagnostics } from '../../language-server/diagnostics';
import { lookupMnemonic } from '../../language-server/instruction-set';
import type { FormOperand } from '../../language-server/operand-kinds';
import { WorkspaceIndex } from '../../language-server/workspace-index';
import { requireTool, scratchDir } from '../support/toolchain';
import { FIXTURES, REPO, uriOf, WORKSPACE } from './lsp-client';

const MARCH = '-march=rv32imac_zicsr_zifencei';

/** Assembles `source` with gcc (and so GNU as); returns its exit status and error output. */
function assemble(source: string, name: string, preprocess = false, includes: string[] = []): { status: number | null; stderr: string } {
  requireTool('riscv64-unknown-elf-gcc');
  const path = join(scratchDir(), `${name}.${preprocess ? 'S' : 's'}`);
  writeFileSync(path, source);
  return spawnSync('riscv64-unknown-elf-gcc', ['-c', MARCH, '-mabi=ilp32', ...includes.map((i) => `-I${i}`), '-o', `${path}.o`, path], { encoding: 'utf8' });
}

/** The one-based line numbers the assembler reports errors on (failing loudly on an error without one). */
function assemblerErrors(source: string, name: string, preprocess = false, includes: string[] = []): number[] {
  const run = assemble(source, name, preprocess, includes);
  const lines = [...run.stderr.matchAll(/:(\d+): Error:/g)].map((m) => Number(m[1]));
  if (run.status !== 0 && lines.length === 0) throw new Error(`gcc failed without a line error:\n${run.stderr}`);
  return lines;
}

function serverDiagnostics(source: string, path = '/agreement/test.S') {
  const index = new WorkspaceIndex();
  const file = index.update(uriOf(path), 'asm', source);
  return documentDiagnostics(file.parsed, index.environment(file));
}

/** A valid operand of each kind, for a line per table entry. */
const SAMPLE: Readonly<Record<FormOperand, string>> = {
  'rd': 'a0', 'rs1': 'a1', 'rs2': 'a2', 'rd\'': 's0', 'rs1\'': 's1', 'rs2\'': 'a5', 'sp': 'sp',
  'imm12': '-5', 'uimm20': '0x12345', 'shamt5': '3', 'uimm5': '7', 'imm32': '0x12345678',
  'boffset': 'target', 'joffset': 'target', 'cboffset': 'target', 'cjoffset': 'target', 'symbol': 'target', 'symaddr': 'target', 'calltarget': 'target',
  'mem': '8(sp)', 'amem': '(a1)', 'cmem': '8(a4)', 'cspmem': '12(sp)', 'csr': 'mscratch', 'fence': 'rw',
  'cimm6': '-3', 'cuimm6': '4', 'cnzuimm18': '5', 'cnzimm10': '-32', 'cnzuimm10': '16',
};

/** Each instruction and pseudo-instruction of the table, written in the form the server checks first. */
const TABLE_LINES = [...INSTRUCTIONS, ...PSEUDO_INSTRUCTIONS].map((entry) => {
  const form = lookupMnemonic(entry.name)!.forms[0] ?? [];
  return `    ${entry.name} ${form.map((kind) => SAMPLE[kind]).join(', ')}`.trimEnd();
});

/** Other forms the assembler accepts: the server's leniency, line by line. */
const ACCEPTED = [
  '    lw a0, target', '    sw a0, target, t0', '    jal target', '    jalr t0', '    jalr ra, t0', '    jalr 0(t0)',
  '    jalr t0, 4', '    call t0, target', '    jr t0, 4', '    add a0, a0, 1', '    and a0, a0, -1', '    sll a0, a0, 31',
  '    fence', '    csrrw a0, mscratch, 5', '    csrs mstatus, 8', '    csrr a0, 0x300', '    li a0, 0xffffffff',
  '    li a0, -2147483648', '    andi a0, a0, 0xffffffff', '    addi a0, a0, 0xfffff800', '    amoswap.w.aqrl a0, a1, (a2)',
  '    lr.w.aq a0, 0(a1)', '    ADDI a0, a0, 1', '    addi a0, a0, %lo(target)', '    lui a0, %hi(target + 4)',
  '1:  auipc t0, %pcrel_hi(target)', '    lw t0, %pcrel_lo(1b)(t0)', '    la a0, target + 8', '    li a0, \'A\'',
  '    addi a0, a0, (1 << 10) | 3', '    .equ SMALL, 2000', '    addi a0, a0, SMALL', '    c.lui a0, 0xfffe0',
  '    beq a0, a1, 2f', '2:  bnez a0, 2b', '    j 3f; nop', '3:  ret',
];

/** Lines the assembler rejects; each must get an error. */
const REJECTED = [
  '    addd a0, a0, 1', '    addi a0, a0', '    addi a0, a0, a1', '    addi a0, a0, 2048', '    addi a0, a0, 0xfff',
  '    slli a0, a0, 32', '    slli a0, a0, -1', '    csrrwi a0, mscratch, 32', '    lui a0, 0x100000', '    lui a0, -1',
  '    lw a0, 2048(sp)', '    lw a0, 4', '    lw a0, target(a1)', '    addi a0, a0, target', '    auipc a0, target',
  '    li a0, a1', '    mv a0, 5', '    addi A0, a0, 1', '    csrr a0, MSTATUS', '    csrr a0, 4096', '    fence rw',
  '    fence iorw, x', '    lr.w a0, a1', '    c.addi a0, 32', '    c.addi4spn a0, 16', '    c.addi16sp sp, 8',
  '    c.lw a0, 4(a6)', '    c.lw a0, 2(a1)', '    c.lwsp a0, 256(sp)', '    c.slli a0, 0', '    c.lui a0, 0x20',
  '    nop a0', '    ret a0', '    sw a0, 4(sp), t0', '    beq a0, 0, target', '    jalr a0, a1, a2',
  '    .equ BIG, 3000', '    addi a0, a0, BIG', '    tail t0, target',
];

const TARGET = 'target:\n    .word 0\n';

test('every table instruction, in the form the server checks, assembles and gets no diagnostic', () => {
  const source = `${TABLE_LINES.join('\n')}\n${TARGET}`;
  assert.deepEqual(assemblerErrors(source, 'table-forms').map((n) => source.split('\n')[n - 1]), []);
  assert.deepEqual(serverDiagnostics(source).map((d) => d.message), []);
});

test('the assembler\'s other forms assemble and get no diagnostic', () => {
  const source = `${ACCEPTED.join('\n')}\n${TARGET}`;
  assert.deepEqual(assemblerErrors(source, 'accepted').map((n) => source.split('\n')[n - 1]), []);
  assert.deepEqual(serverDiagnostics(source).map((d) => `${d.range.start.line + 1}: ${d.message}`), []);
});

test('every line the assembler rejects gets an error from the server', () => {
  const source = `${REJECTED.join('\n')}\n${TARGET}`;
  const rejected = new Set(assemblerErrors(source, 'rejected'));
  const diagnostics = serverDiagnostics(source);
  REJECTED.forEach((line, i) => {
    if (line.includes('.equ')) return;   // the definition is fine; its use on the next line is not
    assert.ok(rejected.has(i + 1), `the assembler accepts ${JSON.stringify(line)}: it does not belong in this list`);
    const errors = diagnostics.filter((d) => d.range.start.line === i && d.severity === 1);
    assert.ok(errors.length > 0, `no error for ${JSON.stringify(line)}`);
  });
});

test('a local label reference with no such label is an error for both', () => {
  const backward = '    j 9f\n9:  nop\n    j 9b\n    j 8b\n';
  assert.deepEqual(assemblerErrors(backward, 'local-backward'), [4]);
  assert.deepEqual(serverDiagnostics(backward).map((d) => [d.range.start.line, d.code]), [[3, 'undefined-local-label']]);
  // A forward reference to nothing is found only at the end of the file, so the assembler gives no line.
  const forward = '9:  nop\n    j 9b\n    j 9f\n';
  const run = assemble(forward, 'local-forward');
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /local label `"9" .* is not defined/);
  assert.deepEqual(serverDiagnostics(forward).map((d) => [d.range.start.line, d.code]), [[2, 'undefined-local-label']]);
});

test('the lenient-forms fixture (macros, #defines, conditional code) assembles', () => {
  const source = readFileSync(join(FIXTURES, 'lenient.S'), 'utf8');
  assert.deepEqual(assemblerErrors(source, 'lenient', true, [join(WORKSPACE, 'include')]), []);
});

/** The files of a folder tree with one of `extensions`. */
function filesIn(folder: string, extensions: string[]): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return filesIn(path, extensions);
    return extensions.includes(extname(name)) ? [path] : [];
  });
}

test('the fixture workspace and the examples assemble, and the server finds nothing in them', () => {
  const folders = [WORKSPACE, join(REPO, 'examples')];
  const index = new WorkspaceIndex();
  index.setFolders(folders);
  const files = folders.flatMap((f) => filesIn(f, ['.S', '.s', '.asm']));
  const others = folders.flatMap((f) => filesIn(f, ['.ld', '.c']));
  for (const path of others) index.update(uriOf(path), extname(path) === '.c' ? 'c' : 'linker', readFileSync(path, 'utf8'));
  for (const path of files) index.update(uriOf(path), 'asm', readFileSync(path, 'utf8'));
  assert.ok(files.some((f) => f.endsWith(join('startup', 'crt0.S'))), 'the start-up fixture is among the files');
  for (const path of files) {
    const source = readFileSync(path, 'utf8');
    assert.deepEqual(assemblerErrors(source, `file-${files.indexOf(path)}`, true, [join(path, '..'), join(WORKSPACE, 'include')]), [], path);
    const file = index.file(uriOf(path))!;
    assert.deepEqual(documentDiagnostics(file.parsed, index.environment(file)).map((d) => `${d.range.start.line + 1}: ${d.message}`), [], path);
  }
});

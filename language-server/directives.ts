/**
 * The GNU assembler directives the RISC-V assembler accepts, with the one-line description that hover and
 * completion show. The grammar colours exactly these names, so a misspelt directive stays uncoloured.
 *
 * `operands` says how the language server reads a directive's operands:
 * - `expressions`: comma-separated expressions whose symbols are references (and, for data, are checked);
 * - `symbols`: a list of symbol names (`.globl a, b`): references that declare, never undefined;
 * - `first-symbol`: the first operand names a symbol, the rest is not an expression (`.type f, @function`);
 * - `equate`: `name, expression` defines `name` (`.equ`, `.set`);
 * - `common`: `name, size...` defines `name` as storage (`.comm`, `.lcomm`);
 * - `text`: anything else (section names, strings, options): no symbols.
 */

export type DirectiveOperands = 'expressions' | 'symbols' | 'first-symbol' | 'equate' | 'common' | 'text';

export interface DirectiveSpec {
  readonly name: string;
  readonly syntax: string;
  readonly description: string;
  readonly operands: DirectiveOperands;
  /** Data directives: their symbols must be defined somewhere (the undefined-symbol diagnostic applies). */
  readonly data?: true;
}

function d(name: string, syntax: string, description: string, operands: DirectiveOperands = 'text'): DirectiveSpec {
  return { name, syntax, description, operands };
}

function data(name: string, size: string): DirectiveSpec {
  return { name, syntax: `${name} expr, ...`, description: `emit each expression as ${size}`, operands: 'expressions', data: true };
}

export const DIRECTIVES: readonly DirectiveSpec[] = [
  // sections
  d('.text', '.text [subsection]', 'assemble into the code section (.text)'),
  d('.data', '.data [subsection]', 'assemble into the initialised data section (.data)'),
  d('.bss', '.bss', 'assemble into the zero-initialised data section (.bss)'),
  d('.section', '.section name[, "flags"[, @type]]', 'assemble into the named section, creating it with the given flags (a: allocatable, w: writable, x: executable)'),
  d('.pushsection', '.pushsection name[, "flags"[, @type]]', 'push the current section on the section stack and switch to the named one'),
  d('.popsection', '.popsection', 'return to the section saved by the matching .pushsection'),
  d('.previous', '.previous', 'swap the current section with the one used before it'),
  d('.subsection', '.subsection n', 'continue in numbered subsection n of the current section', 'expressions'),
  // symbols
  d('.globl', '.globl symbol[, ...]', 'make the symbols visible to the linker (global); also declares symbols defined elsewhere', 'symbols'),
  d('.global', '.global symbol[, ...]', 'same as .globl: make the symbols visible to the linker', 'symbols'),
  d('.local', '.local symbol[, ...]', 'make the symbols local to this object file', 'symbols'),
  d('.weak', '.weak symbol[, ...]', 'make the symbols weak: global, and overridable by a strong definition', 'symbols'),
  d('.weakref', '.weakref alias, target', 'make alias a weak reference to target', 'symbols'),
  d('.hidden', '.hidden symbol[, ...]', 'give the symbols hidden visibility (not exported from a shared object)', 'symbols'),
  d('.protected', '.protected symbol[, ...]', 'give the symbols protected visibility', 'symbols'),
  d('.internal', '.internal symbol[, ...]', 'give the symbols internal visibility', 'symbols'),
  d('.extern', '.extern symbol[, ...]', 'declare symbols defined in another file (the assembler treats undefined symbols as external anyway)', 'symbols'),
  d('.type', '.type symbol, @function|@object', 'set the ELF type of a symbol (function or data object)', 'first-symbol'),
  d('.size', '.size symbol, expression', 'set the ELF size of a symbol, usually `. - symbol` after its last byte', 'expressions'),
  d('.symver', '.symver name, name2@nodename', 'give a symbol a version for shared libraries', 'first-symbol'),
  d('.set', '.set symbol, expression', 'give a symbol a value; it may be set again later', 'equate'),
  d('.equ', '.equ symbol, expression', 'give a symbol a value (same as .set)', 'equate'),
  d('.equiv', '.equiv symbol, expression', 'like .equ, but an error if the symbol is already defined', 'equate'),
  d('.eqv', '.eqv symbol, expression', 'make a symbol stand for the expression itself, re-evaluated at each use', 'equate'),
  d('.comm', '.comm symbol, size[, alignment]', 'declare a common symbol: zero-initialised storage that the linker merges across files', 'common'),
  d('.lcomm', '.lcomm symbol, size', 'reserve zero-initialised storage for a local symbol in .bss', 'common'),
  d('.tls_common', '.tls_common symbol, size[, alignment]', 'declare a thread-local common symbol', 'common'),
  d('.variant_cc', '.variant_cc symbol', 'mark a function as using a variant calling convention', 'symbols'),
  // data
  data('.byte', 'bytes'),
  data('.2byte', '2-byte values (unaligned allowed)'),
  data('.4byte', '4-byte values (unaligned allowed)'),
  data('.8byte', '8-byte values (unaligned allowed)'),
  data('.half', '16-bit halfwords'),
  data('.hword', '16-bit halfwords'),
  data('.short', '16-bit values'),
  data('.word', '32-bit words'),
  data('.long', '32-bit values'),
  data('.int', '32-bit values'),
  data('.dword', '64-bit doublewords'),
  data('.quad', '64-bit values'),
  data('.octa', '128-bit values'),
  data('.dc.b', 'bytes'),
  data('.dc.w', '16-bit values'),
  data('.dc.l', '32-bit values'),
  data('.dtprelword', '32-bit offsets relative to the thread-local storage block'),
  data('.dtpreldword', '64-bit offsets relative to the thread-local storage block'),
  d('.uleb128', '.uleb128 expr, ...', 'emit each expression as an unsigned LEB128 number', 'expressions'),
  d('.sleb128', '.sleb128 expr, ...', 'emit each expression as a signed LEB128 number', 'expressions'),
  d('.float', '.float value, ...', 'emit 32-bit IEEE floating-point numbers'),
  d('.single', '.single value, ...', 'emit 32-bit IEEE floating-point numbers'),
  d('.double', '.double value, ...', 'emit 64-bit IEEE floating-point numbers'),
  d('.ascii', '.ascii "string", ...', 'emit the strings without a terminating zero'),
  d('.asciz', '.asciz "string", ...', 'emit the strings, each followed by a zero byte'),
  d('.string', '.string "string", ...', 'emit the strings, each followed by a zero byte (same as .asciz)'),
  d('.zero', '.zero size', 'emit size zero bytes', 'expressions'),
  d('.space', '.space size[, fill]', 'emit size bytes of fill (0 by default)', 'expressions'),
  d('.skip', '.skip size[, fill]', 'emit size bytes of fill (same as .space)', 'expressions'),
  d('.fill', '.fill repeat[, size[, value]]', 'emit repeat copies of a size-byte value', 'expressions'),
  d('.incbin', '.incbin "file"[, skip[, count]]', 'include the bytes of a file verbatim'),
  d('.nop', '.nop', 'emit one no-op instruction'),
  d('.insn', '.insn format, operands...', 'emit an instruction by its format and fields, for encodings the assembler does not name'),
  d('.reloc', '.reloc offset, type[, expression]', 'emit a relocation of the given type at offset'),
  // alignment and location
  d('.align', '.align n[, fill[, max]]', 'align to a 2^n-byte boundary (on RISC-V .align takes a power of two)', 'expressions'),
  d('.p2align', '.p2align n[, fill[, max]]', 'align to a 2^n-byte boundary', 'expressions'),
  d('.p2alignw', '.p2alignw n[, fill[, max]]', 'align to a 2^n-byte boundary, filling with 16-bit values', 'expressions'),
  d('.p2alignl', '.p2alignl n[, fill[, max]]', 'align to a 2^n-byte boundary, filling with 32-bit values', 'expressions'),
  d('.balign', '.balign bytes[, fill[, max]]', 'align to a multiple of bytes', 'expressions'),
  d('.balignw', '.balignw bytes[, fill[, max]]', 'align to a multiple of bytes, filling with 16-bit values', 'expressions'),
  d('.balignl', '.balignl bytes[, fill[, max]]', 'align to a multiple of bytes, filling with 32-bit values', 'expressions'),
  d('.org', '.org offset[, fill]', 'advance the location counter to offset within the section', 'expressions'),
  // RISC-V
  d('.option', '.option rvc|norvc|pic|nopic|relax|norelax|push|pop|arch, +ext', 'change assembler options for the following code, e.g. `.option norelax` around `la gp, __global_pointer$`'),
  d('.attribute', '.attribute tag, value', 'record a RISC-V ELF attribute such as arch or stack_align'),
  // macros and conditional assembly
  d('.macro', '.macro name [arg[=default], ...]', 'define a macro; refer to its arguments as \\arg in the body, which ends at .endm'),
  d('.endm', '.endm', 'end a macro definition'),
  d('.exitm', '.exitm', 'leave the current macro expansion early'),
  d('.purgem', '.purgem name', 'forget a macro definition'),
  d('.altmacro', '.altmacro', 'switch to alternate macro syntax'),
  d('.noaltmacro', '.noaltmacro', 'switch back to the standard macro syntax'),
  d('.rept', '.rept count', 'repeat the lines up to .endr count times', 'expressions'),
  d('.irp', '.irp symbol, values...', 'repeat the lines up to .endr once for each value, as \\symbol'),
  d('.irpc', '.irpc symbol, characters', 'repeat the lines up to .endr once for each character, as \\symbol'),
  d('.endr', '.endr', 'end a .rept, .irp or .irpc block'),
  d('.if', '.if expression', 'assemble the following lines if the expression is non-zero', 'expressions'),
  d('.ifdef', '.ifdef symbol', 'assemble the following lines if the symbol is defined', 'symbols'),
  d('.ifndef', '.ifndef symbol', 'assemble the following lines if the symbol is not defined', 'symbols'),
  d('.ifnotdef', '.ifnotdef symbol', 'same as .ifndef', 'symbols'),
  d('.ifeq', '.ifeq expression', 'assemble the following lines if the expression is zero', 'expressions'),
  d('.ifne', '.ifne expression', 'assemble the following lines if the expression is non-zero', 'expressions'),
  d('.ifgt', '.ifgt expression', 'assemble the following lines if the expression is greater than zero', 'expressions'),
  d('.ifge', '.ifge expression', 'assemble the following lines if the expression is zero or more', 'expressions'),
  d('.iflt', '.iflt expression', 'assemble the following lines if the expression is less than zero', 'expressions'),
  d('.ifle', '.ifle expression', 'assemble the following lines if the expression is zero or less', 'expressions'),
  d('.ifb', '.ifb text', 'assemble the following lines if the (macro argument) text is blank'),
  d('.ifnb', '.ifnb text', 'assemble the following lines if the (macro argument) text is not blank'),
  d('.ifc', '.ifc string1, string2', 'assemble the following lines if the two strings are the same'),
  d('.ifnc', '.ifnc string1, string2', 'assemble the following lines if the two strings differ'),
  d('.ifeqs', '.ifeqs "string1", "string2"', 'assemble the following lines if the two quoted strings are the same'),
  d('.ifnes', '.ifnes "string1", "string2"', 'assemble the following lines if the two quoted strings differ'),
  d('.elseif', '.elseif expression', 'an alternative branch of an .if block', 'expressions'),
  d('.else', '.else', 'the alternative branch of an .if block'),
  d('.endif', '.endif', 'end an .if block'),
  d('.include', '.include "file"', 'assemble another source file here'),
  d('.err', '.err', 'stop with an error (in a conditional block that should not be assembled)'),
  d('.error', '.error "message"', 'stop with the given error message'),
  d('.warning', '.warning "message"', 'print the given warning'),
  d('.print', '.print "message"', 'print the message while assembling'),
  d('.fail', '.fail expression', 'report an error (or a warning, if expression < 500)', 'expressions'),
  d('.end', '.end', 'end of the assembly source: the rest of the file is ignored'),
  // debug information and identification
  d('.file', '.file "name" | .file n "name"', 'name the source file (for debug information)'),
  d('.loc', '.loc file line [column] [options]', 'give the source line of the following instruction (DWARF line table)'),
  d('.loc_mark_labels', '.loc_mark_labels flag', 'mark labels as basic-block starts in the DWARF line table'),
  d('.ident', '.ident "string"', 'record an identification string in the .comment section'),
  d('.lflags', '.lflags', 'accepted for compatibility; ignored'),
  d('.cfi_sections', '.cfi_sections .eh_frame|.debug_frame', 'choose the sections that receive call-frame information'),
  d('.cfi_startproc', '.cfi_startproc', 'start the call-frame information of a function'),
  d('.cfi_endproc', '.cfi_endproc', 'end the call-frame information of a function'),
  d('.cfi_def_cfa', '.cfi_def_cfa register, offset', 'the canonical frame address is now register + offset'),
  d('.cfi_def_cfa_offset', '.cfi_def_cfa_offset offset', 'the canonical frame address is now at offset from its register'),
  d('.cfi_def_cfa_register', '.cfi_def_cfa_register register', 'the canonical frame address is now computed from register'),
  d('.cfi_adjust_cfa_offset', '.cfi_adjust_cfa_offset delta', 'add delta to the canonical frame address offset'),
  d('.cfi_offset', '.cfi_offset register, offset', 'the register\'s previous value is saved at offset from the canonical frame address'),
  d('.cfi_val_offset', '.cfi_val_offset register, offset', 'the register\'s previous value is the canonical frame address + offset'),
  d('.cfi_rel_offset', '.cfi_rel_offset register, offset', 'the register\'s previous value is saved at offset from the current frame register'),
  d('.cfi_register', '.cfi_register register1, register2', 'the previous value of register1 is in register2'),
  d('.cfi_restore', '.cfi_restore register', 'the register has its value from the start of the function again'),
  d('.cfi_undefined', '.cfi_undefined register', 'the register\'s previous value cannot be recovered'),
  d('.cfi_same_value', '.cfi_same_value register', 'the register still has its value from the caller'),
  d('.cfi_remember_state', '.cfi_remember_state', 'push the call-frame rules on a stack'),
  d('.cfi_restore_state', '.cfi_restore_state', 'pop the call-frame rules saved by .cfi_remember_state'),
  d('.cfi_return_column', '.cfi_return_column register', 'the return address is in register'),
  d('.cfi_signal_frame', '.cfi_signal_frame', 'mark the frame as a signal (trap) frame'),
  d('.cfi_escape', '.cfi_escape byte, ...', 'emit raw call-frame instruction bytes'),
];

const byName = new Map(DIRECTIVES.map((x) => [x.name, x]));

/** The directive named `name` (GNU as accepts directives in any case), if the assembler knows it. */
export const directiveByName = (name: string): DirectiveSpec | undefined => byName.get(name.toLowerCase());

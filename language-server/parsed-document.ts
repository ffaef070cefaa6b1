/**
 * What the parser makes of one assembly source. Positions are zero-based lines and UTF-16 columns of
 * the source text, which is what LSP positions are, so they go to the client without conversion.
 *
 * Every record *is* its span (it has `line`, `start`, `end` itself) rather than holding a span object:
 * the index keeps these for every line of every file, and one object per record instead of two halves
 * the garbage collector's work on a big file.
 */

export interface Span {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

export type DefinitionKind =
  | 'label'        // foo:
  | 'equate'       // .equ/.set/.equiv/.eqv foo, value   or   foo = value
  | 'common'       // .comm/.lcomm foo, size
  | 'macro'        // .macro foo
  | 'define'       // #define FOO value
  | 'c'            // a function or variable defined in a C source of the workspace
  | 'linker';      // a symbol assigned in a linker script of the workspace

/** The name's span. */
export interface SymbolDefinition extends Span {
  readonly name: string;
  readonly kind: DefinitionKind;
  /** The value text of an equate or #define. */
  readonly value?: string;
  /** The section a label is in. */
  readonly section?: string;
  /** A #define with parameters: `NAME(x)`. */
  readonly functionLike?: boolean;
  /** Defined inside #if/.if or a macro body, so assembled zero or several times: not a duplicate. */
  readonly conditional?: boolean;
}

/** A local numeric label definition, `1:`. */
export interface LocalLabel extends Span {
  readonly label: string;
}

export interface SymbolReference extends Span {
  readonly name: string;
  /** The statement it is an operand of (index into `statements`). */
  readonly statement: number;
}

export interface LocalLabelReference extends Span {
  readonly label: string;
  readonly direction: 'b' | 'f';
  readonly statement: number;
}

export interface OperandText {
  readonly text: string;
  /** Columns on the statement's line. */
  readonly start: number;
  readonly end: number;
}

/**
 * From the name to the end of the last operand; the name is at `start`. The operands are read from
 * `source` on demand (`operandsOf`), so that the index does not keep an object per operand.
 */
export interface Statement extends Span {
  readonly kind: 'instruction' | 'directive';
  /** As written. */
  readonly name: string;
  /** The line's text (comments blanked out); operands are in `source[operandsStart, end)`. */
  readonly source: string;
  readonly operandsStart: number;
  /** Inside a .macro/.rept/.irp body, where operands may be `\arguments`. */
  readonly inMacro: boolean;
  /** Inside #if/#ifdef or .if/.ifdef: the preprocessor or assembler may leave it out. */
  readonly inConditional: boolean;
}

export interface SectionMark extends Span {
  readonly name: string;
}

export interface IncludeDirective extends Span {
  readonly path: string;
  /** `#include <file>`: searched on the system include path, which the server cannot see. */
  readonly system: boolean;
}

export interface ParsedDocument {
  readonly lineCount: number;
  readonly statements: readonly Statement[];
  readonly definitions: readonly SymbolDefinition[];
  readonly localLabels: readonly LocalLabel[];
  readonly references: readonly SymbolReference[];
  readonly localReferences: readonly LocalLabelReference[];
  /** Names given to .globl/.global/.weak: visible to other files. */
  readonly exported: ReadonlySet<string>;
  /** Names given to .globl/.global/.weak/.extern: declared, so a missing definition is the linker's business. */
  readonly declared: ReadonlySet<string>;
  /** Names given `.type name, @function`. */
  readonly functions: ReadonlySet<string>;
  readonly sections: readonly SectionMark[];
  readonly includes: readonly IncludeDirective[];
}

/** The span of a statement's mnemonic or directive name. */
export const nameSpan = (statement: Statement): Span =>
  ({ line: statement.line, start: statement.start, end: statement.start + statement.name.length });

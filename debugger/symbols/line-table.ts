/**
 * The line table of a whole program, indexed for the debugger's questions: which line is this pc on,
 * is this pc the start of a statement, and where does a breakpoint on this line go.
 */
import { LineRow } from './line-program';
import { SourceLocation } from './api';
import { lastStartingAtOrBefore } from './sorted-spans';

interface Span {
  low: number;
  high: number;
  file: string;
  line: number;
  column: number;
}

export class LineTable {
  /** Address spans of the rows, sorted by address, without overlaps of zero length. */
  private readonly spans: Span[] = [];
  private readonly statementStarts = new Set<number>();
  /** file → line → statement-start addresses, sorted. */
  private readonly byFile = new Map<string, Map<number, number[]>>();

  /** `programs`: the rows of each line program, in program order (end_sequence rows included). */
  constructor(programs: LineRow[][], isCode: (address: number) => boolean = () => true) {
    for (const rows of programs) {
      // Sequences of functions the linker discarded (--gc-sections) are left at address 0: drop them.
      let start = 0;
      for (let i = 0; i < rows.length; i++) {
        if (!rows[i].endSequence) continue;
        if (isCode(rows[start].address)) this.add(rows.slice(start, i + 1));
        start = i + 1;
      }
      if (start < rows.length && isCode(rows[start].address)) this.add(rows.slice(start));
    }
    this.spans.sort((a, b) => a.low - b.low);
    for (const lines of this.byFile.values()) for (const a of lines.values()) a.sort((x, y) => x - y);
  }

  private add(rows: LineRow[]): void {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (row.endSequence) continue;
      const next = rows[i + 1];
      if (row.isStmt && row.file) {
        this.statementStarts.add(row.address);
        let lines = this.byFile.get(row.file);
        if (!lines) this.byFile.set(row.file, (lines = new Map()));
        const addresses = lines.get(row.line) ?? [];
        if (!addresses.includes(row.address)) addresses.push(row.address);
        lines.set(row.line, addresses);
      }
      // A row with the same address as the next one is superseded by it (as in GDB: the last row wins).
      if (next && next.address > row.address) {
        this.spans.push({ low: row.address, high: next.address, file: row.file, line: row.line, column: row.column });
      }
    }
  }

  files(): string[] {
    return [...this.byFile.keys()].sort();
  }

  locationAt(pc: number): SourceLocation | undefined {
    pc >>>= 0;
    const span = this.spans[lastStartingAtOrBefore(this.spans, pc)];
    if (!span || pc >= span.high || !span.file) return undefined;
    return span.column > 0 ? { file: span.file, line: span.line, column: span.column } : { file: span.file, line: span.line };
  }

  isStatementStart(pc: number): boolean {
    return this.statementStarts.has(pc >>> 0);
  }

  /** Statement-start lines of `file`, sorted, with their addresses. */
  linesOf(file: string): Array<{ line: number; addresses: number[] }> {
    const lines = this.byFile.get(file);
    if (!lines) return [];
    return [...lines.entries()].map(([line, addresses]) => ({ line, addresses })).sort((a, b) => a.line - b.line);
  }

  /**
   * The file as the table names it: the exact path, else the known path sharing the most trailing
   * components with it (so a breakpoint set through a symlinked or copied checkout still lands), if unique.
   */
  matchFile(file: string): string | undefined {
    if (this.byFile.has(file)) return file;
    const split = (p: string): string[] => p.split(/[\\/]+/).filter((c) => c !== '' && c !== '.');
    const parts = split(file);
    let best: string | undefined;
    let bestScore = 0;
    let tie = false;
    for (const known of this.byFile.keys()) {
      const kp = split(known);
      let score = 0;
      while (score < parts.length && score < kp.length && parts[parts.length - 1 - score] === kp[kp.length - 1 - score]) score++;
      if (score > bestScore) { best = known; bestScore = score; tie = false; } else if (score === bestScore && score > 0) tie = true;
    }
    return bestScore > 0 && !tie ? best : undefined;
  }
}

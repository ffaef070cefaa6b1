/** The line programs of a program's units (one per DW_AT_stmt_list; units may share one). */
import { CompileUnit, DebugInfo } from './debug-info';
import { DieAttributes } from './die-attributes';
import { At } from './dwarf-constants';
import { DwarfError } from './dwarf-reader';
import { DwarfSections } from './dwarf-sections';
import { LineProgram, readLineProgram } from './line-program';

export interface ProgramLines {
  /** In .debug_info order of their first unit. */
  programs: LineProgram[];
  programOf: Map<CompileUnit, LineProgram>;
}

/** `root` is where relative compilation directories are resolved (the ELF's directory or sourceRoot). */
export function readProgramLines(sections: DwarfSections, info: DebugInfo, attrs: DieAttributes, root: string,
  problems: string[]): ProgramLines {
  const byOffset = new Map<number, LineProgram>();
  const programOf = new Map<CompileUnit, LineProgram>();
  for (const unit of info.units) {
    const stmtList = unit.root?.attributes.get(At.stmt_list);
    if (!unit.root || !stmtList || (stmtList.kind !== 'sectionOffset' && stmtList.kind !== 'constant')) continue;
    let program = byOffset.get(stmtList.value);
    if (!program) {
      try {
        program = readLineProgram(sections, stmtList.value, attrs.string(unit.root, At.comp_dir), root, problems);
      } catch (e) {
        if (!(e instanceof DwarfError)) throw e;
        problems.push(e.message);
        continue;
      }
      byOffset.set(stmtList.value, program);
    }
    programOf.set(unit, program);
  }
  return { programs: [...byOffset.values()], programOf };
}

/**
 * Variables by scope: the parameters and locals visible at a pc (walking lexical blocks down to the
 * innermost one that holds it, inner names hiding outer ones), and the globals and file statics of every
 * unit. Each VariableInfo remembers its DIE so that `locate` can evaluate its location later.
 */
import { rangesOf } from './address-ranges';
import { At, Tag } from './dwarf-constants';
import { DebugInfo, Die } from './debug-info';
import { DieAttributes } from './die-attributes';
import { TypeReader } from './types';
import { SourceLocation, VariableInfo } from './api';

export class VariableScopes {
  private readonly dieOf = new WeakMap<VariableInfo, Die>();

  constructor(private readonly info: DebugInfo, private readonly attrs: DieAttributes, private readonly types: TypeReader,
    private readonly declarationOf: (die: Die) => SourceLocation | undefined) {}

  /** The DIE behind a VariableInfo from this reader (also found by `id` for copies of it). */
  die(variable: VariableInfo): Die | undefined {
    return this.dieOf.get(variable) ?? (variable.id !== undefined ? this.info.dieAt(variable.id) : undefined);
  }

  /** Parameters, then locals from the innermost block outwards; a name seen in an inner scope hides outer ones. */
  localsAt(functionDie: Die, pc: number): VariableInfo[] {
    const chain: Die[] = [functionDie];
    for (;;) {
      const scope = chain[chain.length - 1];
      const inner = scope.children.find((c) => c.tag === Tag.lexical_block && this.contains(c, pc));
      if (!inner) break;
      chain.push(inner);
    }
    const seen = new Set<string>();
    const locals: VariableInfo[] = [];
    for (let i = chain.length - 1; i >= 0; i--) {
      for (const child of chain[i].children) {
        if (child.tag !== Tag.variable) continue;
        const v = this.variable(child, 'local');
        if (v && !seen.has(v.name)) {
          seen.add(v.name);
          locals.push(v);
        }
      }
    }
    const parameters: VariableInfo[] = [];
    for (const child of functionDie.children) {
      if (child.tag !== Tag.formal_parameter) continue;
      const v = this.variable(child, 'parameter');
      if (v && !seen.has(v.name)) parameters.push(v);
    }
    return [...parameters, ...locals];
  }

  /** Variables defined at unit level (globals and file statics), with storage (not extern declarations). */
  globals(): VariableInfo[] {
    // Read once: they do not change, and a front end asks at every stop. Copies, so callers may sort them.
    this.globalList ??= this.readGlobals();
    return [...this.globalList];
  }

  private globalList: VariableInfo[] | undefined;

  private readGlobals(): VariableInfo[] {
    const out: VariableInfo[] = [];
    for (const unit of this.info.units) {
      for (const child of unit.root?.children ?? []) {
        if (child.tag !== Tag.variable || this.attrs.flag(child, At.declaration) && !child.attributes.has(At.location)) continue;
        if (!child.attributes.has(At.location) && !child.attributes.has(At.const_value)) continue;
        const v = this.variable(child, 'global');
        if (v) out.push(v);
      }
    }
    return out;
  }

  private variable(die: Die, kind: VariableInfo['kind']): VariableInfo | undefined {
    const name = this.attrs.name(die);
    if (!name) return undefined;
    const v: VariableInfo = { name, type: this.types.typeOf(die), kind, id: die.offset };
    const declaration = this.declarationOf(die);
    if (declaration) v.declaration = declaration;
    this.dieOf.set(v, die);
    return v;
  }

  private contains(block: Die, pc: number): boolean {
    try {
      return rangesOf(this.attrs, block).some((r) => pc >= r.low && pc < r.high);
    } catch {
      return false;
    }
  }
}

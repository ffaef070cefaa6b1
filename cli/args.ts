/**
 * A small command-line parser: positional arguments and `--name value` / `--flag` options, then after
 * `--` the program's own arguments, taken as they are (as `gdb --args`, `cargo run --` and `npm run --`).
 */

export interface ParsedArgs {
  readonly positional: string[];
  readonly options: Map<string, string | true>;
  /** What follows `--`: the guest program's arguments; undefined when there is no `--`. */
  readonly programArgs?: string[];
}

export class UsageError extends Error {
  override name = 'UsageError'; // cli/main.ts tells errors by name (its gdb and mcp bundles have their own copies of this class)
}

/** `valued` lists the options that take a value; any other `--name` is a flag. */
export function parseArgs(argv: string[], valued: readonly string[], flags: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return { positional, options, programArgs: argv.slice(i + 1) };
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (valued.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      options.set(name, value);
    } else if (flags.includes(name)) {
      options.set(name, true);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positional, options };
}

/** Refuses program arguments (`-- …`) where they have no meaning; `why` says so in a sentence. */
export function refuseProgramArgs(args: ParsedArgs, why: string): void {
  if (args.programArgs !== undefined) throw new UsageError(why);
}

/** A non-negative integer option, accepting 1e9, 1_000_000 and 0x10 forms. */
export function integerOption(args: ParsedArgs, name: string): number | undefined {
  const text = args.options.get(name);
  if (text === undefined) return undefined;
  const value = Number(String(text).replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`--${name} must be a non-negative integer, not "${text}"`);
  return value;
}

/**
 * `npm run bench [-- section...]`: the benchmark, in sections, each a module in bench/sections/ that
 * exports `run()`. Sections are listed here explicitly, in the order they print; one whose file is not
 * built (not written yet) is reported and skipped, so the list can name sections before they exist.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { keepCompilerMemory } from '../emulator/cpu/compiler-memory';

const SECTIONS = [
  'emulation', // issue 2: Rewind vs QEMU MIPS on bench/*.elf
  'command',   // issue 19: whole processes, `node dist/cli.js run|record X`, `replay F` vs QEMU's, start-up included
  'replay',    // issue 3: record, seek, reverse step and reverse continue on a 1.2-billion-step recording
  'speed',     // issue 7: interpreter, compiled and replay MIPS on bench/*.elf beside QEMU's replay
  'dap',       // issue 7: the debug adapter
  'gdb',       // issue 7: the GDB stub, and QEMU's reverse-stepi through gdb
  'language-server', // issue 6: analysis time of a 10,000-line assembly file
  'history',   // issue 16: the whole run at once (executions, value history, logpoints, timeline) on 1.2e9 steps
];

interface Section { run(): void | Promise<void> }

async function main(): Promise<void> {
  // As the command line and the debug adapter do: in-process figures are of the emulator as they run it.
  keepCompilerMemory();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !SECTIONS.includes(w));
  if (unknown.length) throw new Error(`no benchmark section ${unknown.join(', ')}; there are: ${SECTIONS.join(', ')}`);
  for (const name of wanted.length ? wanted : SECTIONS) {
    const file = join(__dirname, 'sections', `${name}.js`);
    console.log(`\n== ${name} ==`);
    if (!existsSync(file)) {
      console.log(`(no section "${name}" yet: bench/sections/${name}.ts)`);
      continue;
    }
    const started = Date.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const section = require(file) as Section;
    await section.run();
    console.log(`(${name}: ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});

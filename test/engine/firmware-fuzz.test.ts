/**
 * Firmware-shaped random programs (firmware-programs.ts: timer and software interrupts, critical
 * sections, wfi, delay loops on mtime, counters, traps, UART and semihosting output) run alike on every
 * compiled tier, recorded, replayed, sought and reverse-stepped (firmware-check.ts). A fixed set of seeds
 * here; more by hand with REWIND_FIRMWARE_SEEDS=count (and REWIND_FIRMWARE_SEED=first).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFirmware, Coverage } from './firmware-check';
import { firmwareProgram } from './firmware-programs';

const COUNT = Number(process.env.REWIND_FIRMWARE_SEEDS ?? 12);
const FIRST = Number(process.env.REWIND_FIRMWARE_SEED ?? 1400);

test(`${COUNT} firmware-shaped random programs: the compiled tiers, a recording, its replay and seeks agree with the interpreter`, async () => {
  const total: Coverage = { steps: 0, regions: 0, warmBlocks: 0, timerInterrupts: 0 };
  for (let seed = FIRST; seed < FIRST + COUNT; seed++) {
    const covered = await checkFirmware(firmwareProgram(seed));
    for (const key of Object.keys(total) as Array<keyof Coverage>) total[key] += covered[key];
  }
  if (process.env.REWIND_FIRMWARE_SEEDS) console.log(`${COUNT} programs from seed ${FIRST}: ${JSON.stringify(total)}`);
  // The programs really get hot and really take interrupts.
  assert.ok(total.regions > COUNT, JSON.stringify(total));
  assert.ok(total.timerInterrupts > 10 * COUNT, JSON.stringify(total));
});

/**
 * How many cases the fuzz suites run: a few thousand in CI (under a minute on the CI machine), more on
 * demand with REWIND_FUZZ_CASES (a total, shared out among the suites by their weights). Every case is
 * seeded, and its seed is in the failure message, so a failure repeats with REWIND_FUZZ_SEED.
 */
import assert from 'node:assert/strict';

/** The cases the whole fuzz suite runs unless REWIND_FUZZ_CASES says otherwise. */
const CI_CASES = 3000;

/** This suite's share (`weight` of 1) of the total. */
export function fuzzCases(weight: number): number {
  const total = Number(process.env.REWIND_FUZZ_CASES ?? CI_CASES);
  assert.ok(Number.isSafeInteger(total) && total > 0, `REWIND_FUZZ_CASES must be a positive integer, not ${process.env.REWIND_FUZZ_CASES}`);
  return Math.max(1, Math.round(total * weight));
}

/** The seed of the first case; cases use seed, seed + 1, ... */
export function fuzzSeed(suite: number): number {
  const seed = process.env.REWIND_FUZZ_SEED;
  return seed === undefined ? suite : Number(seed);
}

/**
 * A hang guard for one case, not a speed test: the operations fuzzed here answer in milliseconds, and
 * before issue 20's fixes some of them ran for minutes.
 */
export const CASE_SECONDS = 10;

export function withinBound(started: bigint, what: string): void {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  assert.ok(seconds < CASE_SECONDS, `${what} took ${seconds.toFixed(1)} s`);
}

/** A message a user can act on: a sentence, not a JS error's insides. */
export function assertSentence(message: string, what: string): void {
  assert.ok(message.length > 10, `${what}: the message is too short: ${JSON.stringify(message)}`);
  assert.doesNotMatch(message, /\bundefined\b|\bNaN\b|\[object|is not a function|Cannot read propert|Maximum call stack|\n +at /, `${what}: an unhelpful message: ${message}`);
}

/** Where the end-to-end tests find the repository, the .vsix and the folder CI keeps screenshots in. */
import { join, resolve } from 'node:path';

/** The repository root (this file runs from out/test/e2e). */
export const REPO = resolve(__dirname, '..', '..', '..');
export const VSIX = join(REPO, 'rewind-riscv.vsix');
/** Screenshots of failed scenarios; .ci/run keeps this folder. */
export const SCREENSHOTS = join(REPO, 'out', 'e2e-screenshots');
export const CHROMIUM = '/usr/bin/chromium';

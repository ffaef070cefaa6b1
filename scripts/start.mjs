// `npm start` (after `npm run package`): opens a real VS Code (code-server) on 127.0.0.1 with the Rewind
// extension installed and the examples/ workspace open, where F5 replays examples/bug/bug.rewind.
// Runs until Ctrl+C, then ends code-server and removes its throwaway profile.
// `npm start -- --smoke` (or REWIND_SMOKE=1): the same, then loads the page in Chromium, checks that the
// workbench and the extension came up (scripts/smoke.mjs), stops, and exits 0, or 1 saying what failed.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer } from './code-server.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const smoke = process.argv.includes('--smoke') || process.env.REWIND_SMOKE === '1';
const unknown = process.argv.slice(2).filter((a) => a !== '--smoke');
if (unknown.length > 0) {
  console.error(`npm start: unknown argument ${unknown.join(' ')}; the only one is --smoke (start, check in Chromium, stop).`);
  process.exit(2);
}

let server;
try {
  server = await startCodeServer({ vsix: join(repo, 'rewind-riscv.vsix'), quiet: true });
} catch (error) {
  console.error(`npm start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
const address = server.folderUrl(join(repo, 'examples'));

if (smoke) {
  const { smokeTest } = await import('./smoke.mjs');
  const screenshot = join(repo, 'out', 'e2e-screenshots', 'npm-start-smoke.png');
  let status = 0;
  try {
    const seen = await smokeTest({ address, userData: server.userData, screenshot });
    console.log(`npm start --smoke: ${address}\n${seen.map((s) => `  ok: ${s}`).join('\n')}\n  screenshot: ${screenshot}`);
  } catch (error) {
    console.error(`npm start --smoke failed: ${error instanceof Error ? error.message : error}\n  screenshot: ${screenshot}\n  code-server output:\n${server.log().slice(-4000)}`);
    status = 1;
  }
  await server.stop();
  process.exit(status);
}

console.log(`\nRewind is running in VS Code (code-server): open\n\n  ${address}\n\nPress F5 there to replay examples/bug/bug.rewind. Ctrl+C here stops it.\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30); // keep running until a signal

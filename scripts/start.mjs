// `npm start` (after `npm run package`): opens a real VS Code (code-server) on 127.0.0.1 with the Rewind
// extension installed and the examples/ workspace open, where F5 replays examples/bug/bug.rewind.
// Runs until Ctrl+C, then ends code-server and removes its throwaway profile.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer } from './code-server.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = await startCodeServer({ vsix: join(repo, 'rewind-riscv.vsix'), quiet: true });
const address = server.folderUrl(join(repo, 'examples'));
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

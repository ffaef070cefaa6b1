/**
 * The debug adapter process (dist/adapter.js): DAP on stdin/stdout, or with `--server=PORT` on a TCP
 * port, one session per connection (for debugging the adapter itself from another VS Code).
 */
import { createServer } from 'node:net';
import { RewindSession } from './session';
import { keepCompilerMemory } from '../emulator/cpu/compiler-memory';

keepCompilerMemory();

// Handlers answer their own failures (ProtocolEdge.guard); one that slips through must not end the session.
process.on('unhandledRejection', (e) => console.error(`rewind adapter: ${e instanceof Error ? e.message : String(e)}`));

const serverArg = process.argv.find((a) => a.startsWith('--server='));
if (serverArg) {
  const port = Number(serverArg.slice('--server='.length));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`rewind adapter: --server needs a port number from 0 to 65535, not "${serverArg.slice(9)}"`);
    process.exit(2);
  }
  const server = createServer((socket) => {
    const session = new RewindSession();
    session.setRunAsServer(true);
    session.start(socket, socket);
  }).listen(port, '127.0.0.1', () => {
    const address = server.address();
    console.error(`rewind adapter: waiting for DAP clients on port ${typeof address === 'object' && address ? address.port : port}`);
  });
} else {
  const session = new RewindSession();
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, process.stdout);
}

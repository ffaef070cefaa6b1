/** How the CLI reports why a run ended, and the process exit status that goes with it. */
import { StopReason } from '../emulator/machine';

export function describeStop(reason: StopReason): string {
  switch (reason.kind) {
    case 'exit': return `the program exited with status ${reason.code} (${reason.via})`;
    case 'limit': return 'stopped at --max-steps';
    case 'reset': return 'the guest asked for a reset';
    case 'stuck': return reason.message;
    case 'input': return 'the program was waiting for input';
    default: return `stopped (${reason.kind})`;
  }
}

export function exitStatus(reason: StopReason, steps: number, pc: number): number {
  switch (reason.kind) {
    case 'exit': return reason.code & 0xff;
    case 'limit':
      process.stderr.write(`rewind: stopped after --max-steps ${steps.toLocaleString('en-US')} steps at pc 0x${pc.toString(16)}; the program had not exited\n`);
      return 124;
    case 'reset':
      return 0;
    case 'stuck':
      process.stderr.write(`rewind: ${reason.message}\n`);
      return 125;
    case 'input':
      process.stderr.write('rewind: the program is waiting for input that never came\n');
      return 125;
    default:
      process.stderr.write(`rewind: stopped unexpectedly (${reason.kind})\n`);
      return 125;
  }
}

// Atomic Checkpoint: the command-line entry. It hands the real file system, clock and process
// to src/main.ts, wires Ctrl+C, and sets the exit code (never process.exit mid-write).
//   npx tsx project.ts --sources data/sample_sources --staging data/staging --batch-size 4
import * as fs from 'node:fs';
import { main } from './src/main.ts';

const interrupt = { requested: false };
process.on('SIGINT', () => {
  if (interrupt.requested) {
    // Second Ctrl+C: stop now. Safe: this handler only runs between batches (every write is
    // synchronous), and every checkpoint on disk is whole and counts only fsynced records.
    process.stderr.write('Second interrupt: stopping at once; the last saved checkpoints stand\n');
    process.exit(130);
  }
  interrupt.requested = true;
  process.stderr.write('Interrupt received: finishing this batch and saving (Ctrl+C again to stop at once)\n');
});

process.exitCode = await main(process.argv.slice(2), {
  fs,
  now: () => new Date(),
  log: (line) => process.stderr.write(`${line}\n`),
  out: (text) => process.stdout.write(text),
  crash: () => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable: SIGKILL did not stop the process');
  },
  interrupt,
});

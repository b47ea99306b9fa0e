// Parallel Partitions: the command-line entry. It hands the real file system, clock, process
// and worker threads to src/main.ts, wires Ctrl+C, and sets the exit code (never
// process.exit mid-write).
//   npx tsx project.ts --input data/sample_input.txt --output data/processed_output.json \
//     --checkpoint data/.checkpoint.json --partitions 3 --workers 3 --batch-size 3
import * as fs from 'node:fs';
import { isProcessAlive } from './src/lock.ts';
import { main } from './src/main.ts';
import { threadRunner } from './src/thread-runner.ts';

const interrupt = { requested: false };
process.on('SIGINT', () => {
  if (interrupt.requested) {
    // Second Ctrl+C: stop now, worker threads included. Safe, because every checkpoint on
    // disk is whole (G2); the lock stays behind and the next run takes it over.
    process.stderr.write('Second interrupt: stopping at once; the last saved checkpoints stand\n');
    process.exit(130);
  }
  interrupt.requested = true;
  process.stderr.write('Interrupt received: every partition finishes its batch and saves (Ctrl+C again to stop at once)\n');
});

process.exitCode = await main(process.argv.slice(2), {
  fs,
  pid: process.pid,
  isAlive: isProcessAlive,
  now: () => new Date(),
  log: (line) => process.stderr.write(`${line}\n`),
  out: (text) => process.stdout.write(text),
  crash: () => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable: SIGKILL did not stop the process');
  },
  interrupt,
  runPartitions: threadRunner,
});

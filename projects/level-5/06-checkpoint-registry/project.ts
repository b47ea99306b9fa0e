// Checkpoint Registry: the command-line entry. It hands the real file system, clock and process
// to src/main.ts, wires Ctrl+C, and sets the exit code (never process.exit mid-write).
//   npx tsx project.ts mine-patterns 7 --batch-size 2
//   npx tsx project.ts list-checkpoints 10 running
//   npx tsx project.ts resume-mining 1
import * as fs from 'node:fs';
import { isProcessAlive } from './src/lock.ts';
import { main } from './src/main.ts';

const interrupt = { requested: false };
process.on('SIGINT', () => {
  if (interrupt.requested) {
    // Second Ctrl+C: stop now. Safe, because SQLite rolls back the open transaction on the
    // next open; the row stays `running` with this (dead) pid and is found resumable.
    process.stderr.write('Second interrupt: stopping at once; the last committed checkpoint stands\n');
    process.exit(130);
  }
  interrupt.requested = true;
  process.stderr.write('Interrupt received: finishing this checkpoint interval and saving (Ctrl+C again to stop at once)\n');
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
});

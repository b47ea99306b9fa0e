// Exactly-Once Output: the command-line entry. It hands the real file system, clock and
// process to src/main.ts, wires Ctrl+C, and sets the exit code (never process.exit mid-write).
//   npx tsx project.ts --input data/sample_input.txt --output data/output.jsonl \
//     --checkpoint data/.checkpoint.json --batch-size 4
import * as fs from 'node:fs';
import { main } from './src/main.ts';

const interrupt = { requested: false };
// First Ctrl+C: ask the run to stop at its next checkpoint. `once`, so the handler is gone
// after it: a second Ctrl+C gets the default action and ends the process at once, even in the
// middle of a batch. That is safe: the checkpoint on disk is whole (G2) and counts only output
// that was made durable before it; the next run cuts whatever was appended after it.
process.once('SIGINT', () => {
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

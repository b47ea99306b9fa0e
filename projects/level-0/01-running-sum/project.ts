// Running Sum: the command-line entry. It hands the real file system, clock and process to
// src/main.ts and sets the exit code (never process.exit mid-write).
//   npx tsx project.ts generate --output data/numbers.txt --count 1000 --seed 7
//   npx tsx project.ts --input data/numbers.txt --output data/sum.json --checkpoint data/checkpoint.json
import * as fs from 'node:fs';
import { main } from './src/main.ts';

process.exitCode = await main(process.argv.slice(2), {
  fs,
  now: () => new Date(),
  log: (line) => process.stderr.write(`${line}\n`),
  out: (text) => process.stdout.write(text),
  // A real crash: no finally blocks, no final checkpoint, nothing tidied up.
  crash: () => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable: SIGKILL did not stop the process');
  },
});

// Batch Audit: the command-line entry. It hands the real file system, clock and process to
// src/main.ts and sets the exit code (never process.exit mid-write).
//   npx tsx project.ts --input data/sample_posts.csv --output data/results.csv \
//     --checkpoint data/checkpoint.txt --batch-size 10
import * as fs from 'node:fs';
import { main } from './src/main.ts';

process.exitCode = await main(process.argv.slice(2), {
  fs,
  now: () => new Date(),
  log: (line) => process.stderr.write(`${line}\n`),
  out: (text) => process.stdout.write(text),
  crash: () => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable: SIGKILL did not stop the process');
  },
});

// The CLI entry: the real file system, clock and process, handed to main().
//   npx tsx project.ts generate --output data/numbers.txt --count 1000 --seed 7
//   npx tsx project.ts --input data/numbers.txt --output data/sum.json --checkpoint data/checkpoint.json
import * as fs from 'node:fs';
import { main } from './src/main.ts';

// No top-level await: the entry must also load where no package.json says "type": "module"
// (npx tsx compiles it as CommonJS there, e.g. in a scratch copy of this folder).
void main(process.argv.slice(2), {
  fs,
  now: () => new Date(),
  log: (line) => process.stderr.write(`${line}\n`),
  out: (text) => process.stdout.write(text),
  // A real crash: no finally blocks, no final checkpoint, nothing flushed that was not already.
  crash: () => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable: SIGKILL did not stop the process');
  },
}).then((code) => {
  process.exitCode = code;
});

// A longer input for the tests on real threads and real processes: long enough that several
// workers are busy at once, with a line that is not UTF-8 among them.
import { runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { args, PATHS, tool } from './tool.ts';

export const LONG_ITEMS = 1200;
export const LONG = Buffer.concat(
  Array.from({ length: LONG_ITEMS }, (_, i) =>
    i === 777 ? Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]) : Buffer.from(`line ${i} of a long input, ${'word '.repeat(i % 7)}end\n`),
  ),
);

/** The uninterrupted result for LONG, computed in memory: real runs must match it byte for byte. */
export async function expectedOutput(partitions: number): Promise<string> {
  const r = await runOnVolume(tool(args('--partitions', String(partitions), '--workers', '1', '--batch-size', '50')), seedVolume({ [PATHS.input]: LONG }));
  return r.after.files.get(PATHS.output)!.toString();
}

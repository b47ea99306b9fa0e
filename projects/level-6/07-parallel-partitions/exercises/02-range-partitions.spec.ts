// Alter it, task 2: `--rule range` gives each partition a contiguous range of items instead of
// every P-th one; the rule is fixed for a run like the number of partitions.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { args, PATHS, sampleFiles, tool } from '../tests/tool.ts';

const indexesIn = (bytes: Buffer | undefined) =>
  (bytes?.toString() ?? '').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { index: number }).index);

describe('--rule range', () => {
  it('writes the same output as the default rule, on any number of workers', async () => {
    const mod = await runOnVolume(tool(), seedVolume(sampleFiles()));
    for (const workers of ['1', '3']) {
      const range = await runOnVolume(tool(args('--rule', 'range', '--workers', workers)), seedVolume(sampleFiles()));
      expect(range.code).toBe(0);
      expect(range.after.files.get(PATHS.output)!.equals(mod.after.files.get(PATHS.output)!), `${workers} workers`).toBe(true);
    }
  });

  it('puts a contiguous range of items in each partition, and says so in the manifest', async () => {
    const crashed = await runOnVolume(tool(args('--rule', 'range', '--workers', '1', '--simulate-crash', '5')), seedVolume(sampleFiles()));
    expect(indexesIn(crashed.after.files.get(PATHS.staged(0)))).toEqual([0, 1, 2]);
    expect(JSON.parse(crashed.after.files.get(PATHS.manifest)!.toString()).rule).toBe('contiguous ranges');
  });

  it('splits items that do not divide evenly into ranges that differ by at most one', async () => {
    const r = await runOnVolume(tool(args('--rule', 'range', '--partitions', '4', '--workers', '4')), seedVolume(sampleFiles()));
    expect(r.code).toBe(0);
    expect(r.env.log).toEqual(expect.arrayContaining(['Partition 0: 5 items, none done yet', 'Partition 3: 6 items, none done yet']));
  });

  it('refuses with exit 2 to resume a run with another rule than it was started with', async () => {
    const crashed = await runOnVolume(tool(args('--rule', 'range', '--simulate-crash', '7')), seedVolume(sampleFiles()));
    const r = await runOnVolume(tool(args('--rule', 'mod')), volumeFromSnapshot(crashed.after));
    expect(r.code).toBe(2);
    expect(r.env.log.at(-1)).toMatch(/--rule/);
    const resumed = await runOnVolume(tool(args('--rule', 'range')), volumeFromSnapshot(crashed.after));
    expect(resumed.code).toBe(0);
  });

  it('keeps "index mod partitions" as the default rule', async () => {
    const crashed = await runOnVolume(tool(args('--workers', '1', '--simulate-crash', '5')), seedVolume(sampleFiles()));
    expect(indexesIn(crashed.after.files.get(PATHS.staged(0)))).toEqual([0, 3, 6]);
    expect(JSON.parse(crashed.after.files.get(PATHS.manifest)!.toString()).rule).toBe('index mod partitions');
  });
});

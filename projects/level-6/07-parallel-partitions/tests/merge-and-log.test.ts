// The two places where timing could leak into what the tool produces, the merge and the
// log, and the partition rule they rely on. Both must give the same result whatever order
// the partitions report or finish in.
import { describe, expect, it } from 'vitest';
import { seedVolume, RecordingFs } from '../../../../test/kit/index.ts';
import { mergePartitions } from '../src/merge.ts';
import { OrderedLog } from '../src/ordered-log.ts';
import { indexAt, MOD_RULE, partitionOf, splitIntoPartitions, type Partitioning } from '../src/partitions.ts';

const mod = (partitions: number): Partitioning => ({ rule: MOD_RULE, partitions });

const row = (index: number) => JSON.stringify({ index, original: `line ${index}`, length: 6, word_count: 2, uppercase: `LINE ${index}` });

function volumeWith(staged: Record<string, number[]>) {
  const files = Object.fromEntries(Object.entries(staged).map(([path, indexes]) => [path, indexes.map((i) => `${row(i)}\n`).join('')]));
  return new RecordingFs(seedVolume(files)).fs;
}

describe('the partition rule', () => {
  it('puts item i in partition i mod P, and position k of partition p is item p + k*P', () => {
    expect(splitIntoPartitions(['a', 'b', 'c', 'd', 'e', 'f', 'g'], mod(3))).toEqual([['a', 'd', 'g'], ['b', 'e'], ['c', 'f']]);
    for (let index = 0; index < 50; index++) {
      const p = partitionOf(mod(4), index);
      expect(indexAt(mod(4), p, Math.floor(index / 4))).toBe(index);
    }
  });
});

describe('the merge', () => {
  it('puts every result at its index, whichever partition holds it', () => {
    const fs = volumeWith({ '/p0': [0, 3, 6], '/p1': [1, 4], '/p2': [2, 5] });
    expect(mergePartitions(fs, ['/p0', '/p1', '/p2'], 7, mod(3)).map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('refuses a result held twice (a batch appended again without cutting the file back)', () => {
    const fs = volumeWith({ '/p0': [0, 3, 3], '/p1': [1], '/p2': [2] });
    expect(() => mergePartitions(fs, ['/p0', '/p1', '/p2'], 4, mod(3))).toThrow('Staged results /p0 hold item 3 twice; rerun with --force');
  });

  it('refuses a missing result', () => {
    const fs = volumeWith({ '/p0': [0], '/p1': [1], '/p2': [2] });
    expect(() => mergePartitions(fs, ['/p0', '/p1', '/p2'], 4, mod(3))).toThrow('Staged results lack item 3 (partition 0); rerun with --force');
  });

  it('refuses a result in the wrong partition (items split by another rule)', () => {
    const fs = volumeWith({ '/p0': [0, 1], '/p1': [2, 3] });
    expect(() => mergePartitions(fs, ['/p0', '/p1'], 4, mod(2))).toThrow('Staged results /p0 hold item 1, which is not in partition 0; rerun with --force');
  });
});

describe('the ordered log', () => {
  const lines = [0, 1, 2].flatMap((p) => [`P${p} start`, `P${p} saved 3`, `P${p} saved 7`]);

  it('prints the same lines in the same order, whatever order the partitions report in', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 50; trial++) {
      // Each partition's own lines stay in order; the partitions interleave at random.
      const queues = [0, 1, 2].map((p) => lines.filter((l) => l.startsWith(`P${p}`)));
      const printed: string[] = [];
      const log = new OrderedLog(3, (line) => printed.push(line));
      while (queues.some((q) => q.length)) {
        const open = [0, 1, 2].filter((p) => queues[p]!.length);
        const p = open[Math.floor(random() * open.length)]!;
        const line = queues[p]!.shift()!;
        log.line(p, line);
        if (line.endsWith('saved 7')) log.finish(p);
      }
      expect(printed).toEqual(lines);
    }
  });

  it('prints what is held back when the run stops early', () => {
    const printed: string[] = [];
    const log = new OrderedLog(3, (line) => printed.push(line));
    log.line(2, 'P2 saved 3');
    log.line(0, 'P0 saved 3');
    log.line(1, 'P1 saved 3');
    expect(printed).toEqual(['P0 saved 3']);
    log.flushAll();
    expect(printed).toEqual(['P0 saved 3', 'P1 saved 3', 'P2 saved 3']);
  });
});

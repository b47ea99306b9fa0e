// G3: a checkpoint that is not one whole index for this input, or a results file it cannot
// explain, is detected, never guessed: exit 65, one line naming the file, nothing written.
// (The kit's corruptCheckpointCases describe JSON checkpoints; this level's checkpoint is a
// bare integer, so its table is written here, case by case.)
import { describe, expect, it } from 'vitest';
import { diffSnapshots, runOnVolume, seedVolume, snapshotVolume, volumeFromSnapshot, type Snapshot } from '../../../../test/kit/index.ts';
import { args, fileOf, PATHS, SAMPLE, sampleFiles, tool } from './tool.ts';

// A real mid-run state: checkpoint 20, and rows for posts 20 and 22 appended after it. A run
// that got past the checks would cut those rows off, so "nothing written" is a real test.
const crashed = (await runOnVolume(tool(args('--simulate-crash', '25')), seedVolume(sampleFiles()))).after;

/** The crashed state with some files replaced (undefined removes the file). */
function stateWith(files: Record<string, string | undefined>): Snapshot {
  const snap: Snapshot = { files: new Map(crashed.files), dirs: new Set(crashed.dirs) };
  for (const [path, content] of Object.entries(files)) {
    if (content === undefined) snap.files.delete(path);
    else snap.files.set(path, Buffer.from(content));
  }
  return snap;
}

async function refuses(state: Snapshot) {
  const vol = volumeFromSnapshot(state);
  const result = await runOnVolume(tool(), vol);
  return { ...result, changed: diffSnapshots(state, snapshotVolume(vol)) };
}

const CP = PATHS.checkpoint;
const SEED_MESSAGE = (got: string) => `Corrupted checkpoint file ${CP}: expected integer, got '${got}'`;

const checkpointCases: Array<{ name: string; content: string; message: string }> = [
  { name: 'an empty file (the seed read it as 0 and redid everything)', content: '', message: `${SEED_MESSAGE('')} (the file is empty); move it aside or rerun with --force` },
  { name: 'only whitespace', content: ' \n\n', message: `${SEED_MESSAGE('')} (the file is empty)` },
  { name: 'a word', content: 'twenty\n', message: SEED_MESSAGE('twenty') },
  { name: 'a decimal', content: '12.5\n', message: SEED_MESSAGE('12.5') },
  { name: 'an exponent', content: '1e1\n', message: SEED_MESSAGE('1e1') },
  { name: 'a number with trailing junk', content: '20abc', message: SEED_MESSAGE('20abc') },
  { name: 'JSON from another tool', content: '{"index": 20}\n', message: SEED_MESSAGE('{"index": 20}') },
  { name: 'two numbers on two lines', content: '10\n20\n', message: SEED_MESSAGE('10\\n20') },
  { name: 'a negative index', content: '-1\n', message: `Checkpoint ${CP} holds -1, a negative index; move it aside or rerun with --force` },
  { name: 'an index past the last post', content: '46\n', message: `Checkpoint ${CP} index 46 exceeds the 45 posts in ${PATHS.input}; move it aside or rerun with --force` },
  { name: 'an index past the safe integer range', content: '99999999999999999999', message: `index 99999999999999999999 exceeds the 45 posts` },
];

describe('a corrupt checkpoint', () => {
  for (const c of checkpointCases) {
    it(`is refused with exit 65 and nothing written: ${c.name}`, async () => {
      const result = await refuses(stateWith({ [CP]: c.content }));
      expect(result.code).toBe(65);
      expect(result.env.log).toHaveLength(1);
      expect(result.env.log[0]).toContain(c.message);
      expect(result.env.log[0]).toMatch(/^Error: .*--force$/);
      expect(result.changed).toEqual([]);
    });
  }

  it("keeps the seed's exact message, word for word, at the start of the line", async () => {
    const result = await refuses(stateWith({ [CP]: 'abc' }));
    expect(result.env.log[0]).toBe(`Error: Corrupted checkpoint file ${CP}: expected integer, got 'abc'; move it aside or rerun with --force`);
  });

  it('accepts the index written by hand with a line break, as `echo 20 > data/checkpoint.txt` does', async () => {
    const result = await refuses(stateWith({ [CP]: '20' }));
    expect(result.code).toBe(0);
  });

  it('never reads a leftover temp file, whatever it holds', async () => {
    for (const junk of ['', '9', '45\n', 'garbage']) {
      const result = await refuses(stateWith({ [PATHS.temp]: junk }));
      expect(result.code).toBe(0);
      expect(result.env.log).toContain('Resuming from checkpoint at index 20 of 45 (44.4%)');
    }
  });
});

// Posts 10 and 11 swapped: the same posts in another order, so the row for post 10 no
// longer matches the post at index 10 (both are one-line records in the sample).
const lines = SAMPLE.split('\n');
const at10 = lines.findIndex((l) => l.startsWith('1000000000000357270,'));
const reordered = [...lines.slice(0, at10), lines[at10 + 1], lines[at10], ...lines.slice(at10 + 2)].join('\n');

// A post added at the top, as a newer export of the archive has it: every index shifts by one.
const shifted = SAMPLE.replace('id,created_at,text\n', 'id,created_at,text\n2000000000000000001,2025-01-01T00:00:00Z,A newer post\n');

const resultsCases: Array<{ name: string; files: Record<string, string | undefined>; message: string }> = [
  { name: 'the results file is missing while the checkpoint is past 0', files: { [PATHS.output]: undefined }, message: `Results file ${PATHS.output} is missing but checkpoint ${CP} says 20 posts are done` },
  { name: 'the results file is empty while the checkpoint is past 0', files: { [PATHS.output]: '' }, message: `holds no complete header but checkpoint ${CP} says 20 posts are done` },
  { name: "the results file is in the seed's format (url,deleted)", files: { [PATHS.output]: 'url,deleted\nhttps://x.com/i/status/1,false\n' }, message: "does not start with the header 'index,id,reasons,text'" },
  { name: 'a row is not a result row', files: { [PATHS.output]: 'index,id,reasons,text\nten,1,keyword:nft,x\n' }, message: 'line 2 is not a result row for this input' },
  { name: 'rows are out of order', files: { [PATHS.output]: 'index,id,reasons,text\n13,1000000000000603720,a,b\n10,1000000000000357270,a,b\n' }, message: 'line 3: index 10 comes after index 13' },
  { name: 'a newer export of the input, one post longer at the top (every index shifts)', files: { [PATHS.input]: shifted }, message: 'line 2 names post 1000000000000357270 at index 10, but the input has post 1000000000000289404 there' },
  { name: 'the input changed since the checkpoint (a row names another post at its index)', files: { [PATHS.input]: reordered }, message: 'line 2 names post 1000000000000357270 at index 10, but the input has post 1000000000000432278 there' },
];

describe('a results file the checkpoint cannot explain', () => {
  for (const c of resultsCases) {
    it(`is refused with exit 65 and nothing written: ${c.name}`, async () => {
      const result = await refuses(stateWith(c.files));
      expect(result.code).toBe(65);
      expect(result.env.log).toHaveLength(1);
      expect(result.env.log[0]).toContain(c.message);
      expect(result.env.log[0]).toMatch(/rerun with --force to start over$/);
      expect(result.changed).toEqual([]);
    });
  }

  it('is created with its header when the checkpoint is 0 (a crash between the two first writes)', async () => {
    const result = await refuses(stateWith({ [CP]: '0\n', [PATHS.output]: undefined }));
    expect(result.code).toBe(0);
    expect(fileOf(result.after, PATHS.output)).toMatch(/^index,id,reasons,text\n/);
  });
});

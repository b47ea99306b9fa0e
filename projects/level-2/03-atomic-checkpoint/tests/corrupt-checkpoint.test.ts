// G3: every way a checkpoint can be wrong is detected, never guessed: exit 65, a one-line
// message naming the file and what to do, and nothing on the volume changes. (The seed
// started over from record 0, silently, on any checkpoint it could not read.)
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corruptCheckpointCases, diffSnapshots, runOnVolume, seedVolume, snapshotVolume, volumeFromSnapshot, type Snapshot } from '../../../../test/kit/index.ts';
import { args, paths, RECORDS, sampleFiles, tool } from './tool.ts';

// A real mid-run state: bbc checkpointed at index 4 with 3 records staged (one was dropped).
const crashed = await runOnVolume(tool(args('--simulate-crash', '5')), seedVolume(sampleFiles()));
const bbc = paths('bbc');
const valid = JSON.parse(crashed.after.files.get(bbc.checkpoint)!.toString());

const cases = corruptCheckpointCases({
  valid,
  offsetField: 'last_index',
  pastEnd: RECORDS.bbc! + 1,
  schemaField: 'schema_version',
  inputField: 'source',
  foreignValue: 'tiktok',
});

/** The mid-run state with some files replaced (undefined removes one). */
function stateWith(files: Record<string, string | undefined>): Snapshot {
  const snap = volumeFromSnapshot(crashed.after);
  for (const [path, content] of Object.entries(files)) {
    if (content === undefined) snap.unlinkSync(path);
    else {
      snap.mkdirSync(dirname(path), { recursive: true });
      snap.writeFileSync(path, content);
    }
  }
  return snapshotVolume(snap);
}

async function runFrom(state: Snapshot, argv = args()) {
  const result = await runOnVolume(tool(argv), volumeFromSnapshot(state));
  return { result, changes: diffSnapshots(state, result.after), line: result.env.log.at(-1) ?? '' };
}

describe('a corrupt checkpoint', () => {
  it('is a real one to start from: the valid checkpoint resumes', async () => {
    expect(valid).toMatchObject({ last_index: 4, processed_count: 3, source: 'bbc' });
    const { result } = await runFrom(crashed.after);
    expect(result.code).toBe(0);
  });

  it.each(cases)('is refused with exit 65 when it is $name, and nothing is written', async ({ content, message }) => {
    const { result, changes, line } = await runFrom(stateWith({ [bbc.checkpoint]: content }));
    expect(result.code).toBe(65);
    expect(line).toMatch(message);
    expect(line).toContain(bbc.checkpoint);
    expect(line).toMatch(/--force|move it aside/);
    expect(line.split('\n')).toHaveLength(1);
    expect(changes).toEqual([]);
    expect(result.rec.ops).toEqual([]);
    expect(result.env.out).toEqual([]);
  });

  it('says the guide\'s words when the offset is past the end: "offset 15 exceeds dataset size 14"', async () => {
    const { line } = await runFrom(stateWith({ [bbc.checkpoint]: JSON.stringify({ ...valid, last_index: 15 }) }));
    expect(line).toBe(`Error: Checkpoint ${bbc.checkpoint} offset 15 exceeds dataset size 14; it is stale (the source changed), move it aside or rerun with --force`);
  });

  it('says which schema this tool knows when the checkpoint is newer', async () => {
    const { line } = await runFrom(stateWith({ [bbc.checkpoint]: JSON.stringify({ ...valid, schema_version: 2 }) }));
    expect(line).toBe(
      `Error: Checkpoint ${bbc.checkpoint} has schema_version 2, newer than this tool (1); use the newer tool, or rerun with --force to start this source over`,
    );
  });

  it.each([
    ['processed_count is a string', { processed_count: '3' }, /invalid processed_count/],
    ['processed_count is more than last_index', { processed_count: 5 }, /processed_count 5, more than last_index 4/],
    ['run_id is missing', { run_id: undefined }, /invalid run_id/],
    ['run_id is empty', { run_id: '' }, /invalid run_id/],
    ['timestamp is not a time', { timestamp: 'yesterday' }, /invalid timestamp/],
    ['source is a number', { source: 5 }, /invalid source/],
    ['schema_version is the string "1.0"', { schema_version: '1.0' }, /invalid schema_version/],
    ['schema_version is missing', { schema_version: undefined }, /invalid schema_version/],
  ])('is refused with exit 65 when %s', async (_name, change, message) => {
    const { result, changes, line } = await runFrom(stateWith({ [bbc.checkpoint]: JSON.stringify({ ...valid, ...change }) }));
    expect(result.code).toBe(65);
    expect(line).toMatch(message);
    expect(changes).toEqual([]);
  });

  it('is refused when the staged output holds fewer records than it counts: records were lost', async () => {
    const short = crashed.after.files.get(bbc.staged)!.toString().split('\n').slice(0, 2).join('\n') + '\n';
    const { result, changes, line } = await runFrom(stateWith({ [bbc.staged]: short }));
    expect(result.code).toBe(65);
    expect(line).toBe(
      `Error: Staged output ${bbc.staged} holds 2 complete records but checkpoint ${bbc.checkpoint} counts 3; records were lost, rerun with --force to redo this source`,
    );
    expect(changes).toEqual([]);
  });

  it('is refused when the staged output it counts is missing', async () => {
    const { result, changes, line } = await runFrom(stateWith({ [bbc.staged]: undefined }));
    expect(result.code).toBe(65);
    expect(line).toMatch(/Staged output .* is missing but checkpoint .* counts 3 staged records/);
    expect(changes).toEqual([]);
  });

  it('is refused when the checkpoints of two sources name different runs', async () => {
    const tiktok = paths('tiktok');
    const other = JSON.stringify({ ...valid, source: 'tiktok', last_index: 0, processed_count: 0, run_id: 'run-2026-01-01T00:00:00.000Z' });
    const { result, changes, line } = await runFrom(stateWith({ [tiktok.checkpoint]: other }));
    expect(result.code).toBe(65);
    expect(line).toMatch(/belong to different runs \(run-2026-11-25T12:00:00.000Z, run-2026-01-01T00:00:00.000Z\)/);
    expect(changes).toEqual([]);
  });

  it('is never read from a leftover temp file: a torn .tmp beside a good checkpoint is removed, not read (G2)', async () => {
    const { result, line } = await runFrom(stateWith({ [bbc.temp]: '{"last_ind' }));
    expect(result.code).toBe(0);
    expect(result.env.log).toContain(`[bbc] Removed ${bbc.temp} left by an interrupted save (it was never the checkpoint)`);
    expect(result.env.log).toContain(`[bbc] Resuming at index 4 of ${RECORDS.bbc} (28.6%)`);
    expect(line).toMatch(/^All 3 sources staged/);
    expect(result.after.files.has(bbc.temp)).toBe(false);
  });
});

describe('--force', () => {
  it('moves a corrupt checkpoint aside to .bak-<time>, never deleting it, and starts the source over', async () => {
    const state = stateWith({ [bbc.checkpoint]: 'not json at all' });
    const { result } = await runFrom(state, args('--force'));
    expect(result.code).toBe(0);
    const aside = `${bbc.checkpoint}.bak-20261125T120001Z`;
    expect(result.after.files.get(aside)!.toString()).toBe('not json at all');
    expect(result.env.log).toContain(`[bbc] Moved the old checkpoint aside to ${aside}`);
    expect(result.after.files.has(bbc.checkpoint)).toBe(false);
    const fresh = await runOnVolume(tool(), seedVolume(sampleFiles()));
    expect(result.after.files.get(bbc.staged)!.equals(fresh.after.files.get(bbc.staged)!)).toBe(true);
  });

  it('moves the checkpoint aside durably before it writes anything else, and starts a new run', async () => {
    const { result } = await runFrom(crashed.after, args('--force'));
    expect(result.code).toBe(0);
    const [first, second] = result.rec.ops;
    expect(first).toMatchObject({ kind: 'rename', path: bbc.checkpoint, to: `${bbc.checkpoint}.bak-20261125T120001Z` });
    expect(second).toMatchObject({ kind: 'fsync', path: bbc.dir, dir: true });
    expect(result.env.log[0]).toMatch(/^Starting run run-2026-11-25T12:00:00.000Z/);
    expect(result.env.log).toContain(`[bbc] Starting at index 0 of ${RECORDS.bbc}`);
  });

  it('keeps an earlier backup when two forced runs happen in the same second', async () => {
    const aside = `${bbc.checkpoint}.bak-20261125T120001Z`;
    const { result } = await runFrom(stateWith({ [aside]: 'an older backup' }), args('--force'));
    expect(result.after.files.get(aside)!.toString()).toBe('an older backup');
    expect(result.after.files.get(`${aside}-1`)!.toString()).toBe(JSON.stringify(valid, null, 2) + '\n');
  });
});

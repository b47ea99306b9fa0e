// G3: every way the manifest or a partition's checkpoint can be wrong is detected, never
// guessed: exit 65 (2 for a flag that does not fit the run), a one-line message naming the
// file and what to do, and nothing on the volume changes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { corruptCheckpointCases, diffSnapshots, runOnVolume, seedVolume, snapshotVolume, volumeFromSnapshot, type Snapshot } from '../../../../test/kit/index.ts';
import { args, CLOCK, PATHS, sampleFiles, SAMPLE, tool } from './tool.ts';

// A real interrupted run to corrupt: three workers, one batch saved in each partition. Its
// stale lock is removed, so a refused run must leave the volume exactly as it found it.
const crashed = await runOnVolume(tool(args('--simulate-crash', '11')), seedVolume(sampleFiles()));
const base: Snapshot = { files: new Map(crashed.after.files), dirs: crashed.after.dirs };
base.files.delete(PATHS.lock);
const text = (path: string) => base.files.get(path)!.toString();
const partition0 = JSON.parse(text(PATHS.checkpoint(0))) as Record<string, unknown>;
const manifest = JSON.parse(text(PATHS.manifest)) as Record<string, unknown>;
const foreign = createHash('sha256').update('another input').digest('hex');

/** Run on the interrupted volume with some files replaced (undefined removes one). */
async function runWith(replace: Record<string, string | undefined>, argv = args()) {
  const vol = volumeFromSnapshot(base);
  for (const [path, content] of Object.entries(replace)) {
    if (content === undefined) vol.unlinkSync(path);
    else vol.writeFileSync(path, content);
  }
  const before = snapshotVolume(vol);
  const result = await runOnVolume(tool(argv), vol);
  return { result, changes: diffSnapshots(before, result.after), message: result.env.log.at(-1) ?? '' };
}

function expectRefused(r: Awaited<ReturnType<typeof runWith>>, code: number, message: RegExp, file: string) {
  expect(r.result.code).toBe(code);
  expect(r.message).toMatch(message);
  expect(r.message).toContain(file);
  expect(r.message).toMatch(/--force|move it aside/);
  expect(r.message.split('\n')).toHaveLength(1);
  expect(r.changes).toEqual([]);
  expect(r.result.env.out).toEqual([]);
}

describe("a corrupt partition checkpoint (partition 0's)", () => {
  const cases = corruptCheckpointCases({
    valid: partition0,
    offsetField: 'next_item',
    pastEnd: 8,
    schemaField: 'schema_version',
    inputField: 'input_sha256',
    foreignValue: foreign,
  });

  it.each(cases)('is refused with exit 65 when it is $name, and nothing is written', async ({ content, message }) => {
    expectRefused(await runWith({ [PATHS.checkpoint(0)]: content }), 65, message, PATHS.checkpoint(0));
  });

  it("is refused when it is another partition's checkpoint in partition 0's place", async () => {
    const r = await runWith({ [PATHS.checkpoint(0)]: text(PATHS.checkpoint(2)) });
    expectRefused(r, 65, /belongs to partition 2, not partition 0/, PATHS.checkpoint(0));
  });

  it('is refused when it was written for another number of partitions than the manifest says', async () => {
    const r = await runWith({ [PATHS.checkpoint(0)]: JSON.stringify({ ...partition0, partitions: 4 }) });
    expectRefused(r, 65, /written for 4 partitions, but the manifest says 3/, PATHS.checkpoint(0));
  });

  it('is refused when it counts more failures than items', async () => {
    const r = await runWith({ [PATHS.checkpoint(0)]: JSON.stringify({ ...partition0, failed_count: 4 }) });
    expectRefused(r, 65, /failed_count 4 exceeds next_item 3/, PATHS.checkpoint(0));
  });

  it('is refused when its staged results are shorter than it counts', async () => {
    const r = await runWith({ [PATHS.staged(0)]: 'short' });
    expectRefused(r, 65, /hold 5 bytes, fewer than the \d+ checkpoint/, PATHS.checkpoint(0));
  });

  it('is refused when its staged results are missing', async () => {
    const r = await runWith({ [PATHS.staged(0)]: undefined });
    expectRefused(r, 65, /Staged results .* are missing/, PATHS.staged(0));
  });

  it('is refused without its manifest: a partition checkpoint alone belongs to no known run', async () => {
    const r = await runWith({ [PATHS.manifest]: undefined });
    expectRefused(r, 65, /has no manifest .* beside it/, PATHS.checkpoint(0));
  });
});

describe('a corrupt manifest', () => {
  const cases = corruptCheckpointCases({
    valid: manifest,
    offsetField: 'partitions',
    pastEnd: 65,
    schemaField: 'schema_version',
    inputField: 'input_sha256',
    foreignValue: foreign,
  });

  it.each(cases)('is refused with exit 65 when it is $name, and nothing is written', async ({ content, message }) => {
    expectRefused(await runWith({ [PATHS.manifest]: content }), 65, message, PATHS.manifest);
  });

  it.each([
    ['an unknown rule', { rule: 'index mod workers' }, /unknown rule/],
    ['an unknown phase', { phase: 'done' }, /unknown phase/],
  ])('is refused with exit 65 when it has %s', async (_name, change, message) => {
    expectRefused(await runWith({ [PATHS.manifest]: JSON.stringify({ ...manifest, ...change }) }), 65, message, PATHS.manifest);
  });

  it('says "merged" while the output is missing: refused, never re-merged from files that may be gone', async () => {
    const r = await runWith({ [PATHS.manifest]: JSON.stringify({ ...manifest, phase: 'merged' }) });
    expectRefused(r, 65, /says the results were merged into .* but that file is missing/, PATHS.manifest);
  });
});

describe('a resume with different flags', () => {
  it('is refused with exit 2 when --partitions differs from the run it would resume, and nothing is written', async () => {
    const r = await runWith({}, args('--partitions', '4'));
    expectRefused(r, 2, /was written with --partitions 3, not 4; resume with --partitions 3/, PATHS.manifest);
  });

  it('is accepted with a different --workers and --batch-size: they change the speed, not the partitions', async () => {
    const r = await runWith({}, args('--workers', '1', '--batch-size', '5'));
    expect(r.result.code).toBe(0);
    expect(r.result.env.log[0]).toBe('Resuming: 9 of 21 items already done (42.9%); 3 partitions (index mod 3) on 1 worker, batch size 5');
  });
});

describe('what is not corrupt', () => {
  it('is a leftover temp file beside a good checkpoint: never read (G2), removed when the run completes', async () => {
    const r = await runWith({ [`${PATHS.checkpoint(0)}.tmp`]: '{"next_it' });
    expect(r.result.code).toBe(0);
    expect(r.result.env.log).toContain('Partition 0: 7 items, resuming at item 3 (42.9%)');
    expect([...r.result.after.files.keys()].sort()).toEqual([PATHS.output, PATHS.input].sort());
  });

  it('is a staged file longer than its checkpoint counts: a batch that crashed before its checkpoint, cut off', async () => {
    const r = await runWith({ [PATHS.staged(1)]: `${text(PATHS.staged(1))}{"index":10,"half a line` });
    expect(r.result.code).toBe(0);
    const fresh = await runOnVolume(tool(), seedVolume(sampleFiles()));
    expect(r.result.after.files.get(PATHS.output)!.equals(fresh.after.files.get(PATHS.output)!)).toBe(true);
  });
});

describe('--force', () => {
  it('moves the manifest and every partition file aside, not deleted, and starts over', async () => {
    const r = await runWith({ [PATHS.checkpoint(0)]: 'not json at all' }, args('--force'));
    expect(r.result.code).toBe(0);
    const stamp = CLOCK.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const aside = [...r.result.after.files.keys()].filter((p) => p.endsWith(`.bak-${stamp}`)).sort();
    expect(aside).toEqual(
      [PATHS.manifest, ...[0, 1, 2].flatMap((p) => [PATHS.checkpoint(p), PATHS.staged(p)])].map((p) => `${p}.bak-${stamp}`).sort(),
    );
    expect(r.result.after.files.get(`${PATHS.checkpoint(0)}.bak-${stamp}`)!.toString()).toBe('not json at all');
    expect(r.result.env.log[0]).toBe(`Moved 7 old checkpoint files aside, each renamed with the suffix .bak-${stamp}`);
    expect(r.result.env.log[1]).toMatch(/^Starting fresh: 21 items/);
  });

  it('keeps the first backups when --force runs twice in the same second', async () => {
    const stamp = CLOCK.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const first = `${PATHS.checkpoint(0)}.bak-${stamp}`;
    const r = await runWith({ [first]: 'the first one', [PATHS.checkpoint(0)]: 'the second one' }, args('--force'));
    expect(r.result.code).toBe(0);
    expect(r.result.after.files.get(first)!.toString()).toBe('the first one');
    expect(r.result.after.files.get(`${first}-1`)!.toString()).toBe('the second one');
    expect(r.result.env.log[0]).toBe(`Moved 7 old checkpoint files aside, each renamed with the suffix .bak-${stamp}-1`);
  });

  it('starts over even when the manifest was written with another --partitions', async () => {
    const r = await runWith({}, args('--partitions', '4', '--force'));
    expect(r.result.code).toBe(0);
    const fresh = await runOnVolume(tool(), seedVolume({ [PATHS.input]: SAMPLE }));
    expect(r.result.after.files.get(PATHS.output)!.equals(fresh.after.files.get(PATHS.output)!)).toBe(true);
  });
});

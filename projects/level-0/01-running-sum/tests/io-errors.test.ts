// G9: disk full and permission denied surface as exit 74 or 73; the checkpoint does not
// advance past what was saved, nothing already saved is lost, and a rerun finishes the job.
import { describe, expect, it } from 'vitest';
import { diffSnapshots, resumeToEnd, runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { main } from '../src/main.ts';
import { args, depsFor, PATHS, sampleFiles, tool } from './tool.ts';

const reference = (await runOnVolume(tool(), seedVolume(sampleFiles()))).after;

describe('I/O errors while running', () => {
  it.each([0, 100, 700, 1500])('exits 74 when the disk fills after %i bytes, keeps the last checkpoint whole, and a rerun finishes', async (limit) => {
    const full = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { enospcAfterBytes: limit });
    expect(full.code).toBe(74);
    expect(full.env.log.at(-1)).toMatch(/^Error: Could not save checkpoint \/work\/data\/checkpoint.json \(ENOSPC\); the previous checkpoint is kept; free some disk space and rerun to resume$/);
    const saved = full.after.files.get(PATHS.checkpoint);
    const lastLogged = full.env.log.filter((l) => l.startsWith('Checkpoint saved')).at(-1);
    if (saved) expect(lastLogged).toContain(`offset ${JSON.parse(saved.toString()).offset} `);
    else expect(lastLogged).toBeUndefined();
    expect(full.after.files.has(`${PATHS.checkpoint}.tmp`)).toBe(false);
    expect(full.after.files.has(PATHS.output)).toBe(false);
    expect(await resumeToEnd(tool(), full.after, reference)).toBeUndefined();
  });

  it('exits 74 when a checkpoint save is denied (EACCES), leaving the previous checkpoint as it was', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '45')), seedVolume(sampleFiles()));
    const before = crashed.after.files.get(PATHS.checkpoint)!;
    const denied = await runOnVolume(tool(), volumeFromSnapshot(crashed.after), undefined, { eacces: (p) => p === `${PATHS.checkpoint}.tmp` });
    expect(denied.code).toBe(74);
    expect(denied.env.log.at(-1)).toMatch(/Could not save checkpoint .* \(EACCES\); the previous checkpoint is kept; fix the permissions/);
    expect(denied.after.files.get(PATHS.checkpoint)!.equals(before)).toBe(true);
  });

  it('exits 73 when the output cannot be written, keeping the checkpoint so a rerun finishes', async () => {
    const r = await runOnVolume(tool(args('--batch-size', '7')), seedVolume(sampleFiles()), undefined, { eacces: (p) => p.startsWith(PATHS.output) });
    expect(r.code).toBe(73);
    expect(r.env.log.at(-1)).toBe(`Error: Cannot write output ${PATHS.output} (EACCES); the checkpoint is kept, fix the cause and rerun to finish`);
    expect(JSON.parse(r.after.files.get(PATHS.checkpoint)!.toString()).count).toBe(119);
    const rerun = await runOnVolume(tool(args('--batch-size', '7')), volumeFromSnapshot(r.after));
    expect(rerun.code).toBe(0);
    expect(diffSnapshots(reference, rerun.after)).toEqual([]);
  });

  it('exits 73 before any write when the data folder is read-only', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { eacces: (p) => p.startsWith('/work/data') });
    expect(r.code).toBe(73);
    expect(r.env.log.at(-1)).toBe('Error: Cannot create /work/data/sum.json: folder /work/data is not writable (EACCES); create it or fix --output');
    expect(r.rec.ops).toEqual([]);
  });

  it('exits 74 when generate runs out of disk, and leaves no partial numbers file', async () => {
    const r = await runOnVolume(tool(['generate', '--output', '/work/data/numbers.txt', '--count', '50000', '--seed', '1']), seedVolume({}, ['/work/data']), undefined, {
      enospcAfterBytes: 100_000,
    });
    expect(r.code).toBe(74);
    expect(r.env.log.at(-1)).toMatch(/Could not write \/work\/data\/numbers.txt \(ENOSPC\)/);
    expect([...r.after.files.keys()]).toEqual([]);
  });

  it('exits 1 for an error that is not an I/O error (a bug), with its stack, keeping the last checkpoint', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '45')), seedVolume(sampleFiles()));
    const r = await runOnVolume(async (env) => {
      let reads = 0;
      const fs = new Proxy(env.fs, {
        get: (target, prop) =>
          prop === 'readSync'
            ? (...a: Parameters<typeof target.readSync>) => {
                if (++reads > 2) throw new Error('boom: not an fs error');
                return target.readSync(...a);
              }
            : (target as unknown as Record<string | symbol, unknown>)[prop],
      });
      return main(args(), depsFor(env, fs));
    }, volumeFromSnapshot(crashed.after));
    expect(r.code).toBe(1);
    expect(r.env.log.at(-1)).toMatch(/^Unexpected internal error \(a bug, please report it\): Error: boom: not an fs error\n\s+at /);
    expect(r.after.files.get(PATHS.checkpoint)!.equals(crashed.after.files.get(PATHS.checkpoint)!)).toBe(true);
  });
});

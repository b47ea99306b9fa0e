import { describe, expect, it } from 'vitest';
import {
  RecordingFs,
  SimulatedCrash,
  corruptCheckpointCases,
  planCrashSweep,
  runOnVolume,
  seedVolume,
  snapshotVolume,
} from './kit/index.ts';
import { atomicToy, inPlaceToy, noFsyncToy, toyFiles } from './kit/toy-tools.ts';

describe('the recording file system', () => {
  it('logs every change in order and leaves reads out', () => {
    const rec = new RecordingFs(seedVolume({ '/d/a.txt': 'hello' }));
    rec.fs.readFileSync('/d/a.txt');
    rec.fs.writeFileSync('/d/b.txt', 'x');
    rec.fs.renameSync('/d/b.txt', '/d/c.txt');
    rec.fs.unlinkSync('/d/a.txt');
    expect(rec.ops.map((o) => `${o.kind} ${o.path}`)).toEqual(['writeFile /d/b.txt', 'rename /d/b.txt', 'unlink /d/a.txt']);
  });

  it('snapshots the volume at the crash instant, before a finally block can tidy up', () => {
    const rec = new RecordingFs(seedVolume({ '/d/a.txt': 'old' }), { at: 1 });
    expect(() => {
      try {
        rec.fs.writeFileSync('/d/tmp', 'new');
        rec.fs.renameSync('/d/tmp', '/d/a.txt');
      } finally {
        rec.fs.unlinkSync('/d/tmp'); // the tidy-up a real crash never runs
      }
    }).toThrow(SimulatedCrash);
    expect(rec.crashSnapshot!.files.get('/d/tmp')?.toString()).toBe('new');
    expect(rec.crashSnapshot!.files.get('/d/a.txt')?.toString()).toBe('old');
  });

  it('tears a write: only a prefix of its bytes reaches the file', () => {
    const rec = new RecordingFs(seedVolume({ '/d/a.txt': '' }), { at: 1, torn: true });
    const fd = rec.fs.openSync('/d/a.txt', 'w');
    expect(() => rec.fs.writeSync(fd, '0123456789')).toThrow(SimulatedCrash);
    expect(rec.crashSnapshot!.files.get('/d/a.txt')?.toString()).toBe('01234');
  });

  it('injects ENOSPC after n bytes, EACCES on a path and EIO on fsync', () => {
    const rec = new RecordingFs(seedVolume({ '/d/a': '' }, ['/ro']), undefined, {
      enospcAfterBytes: 4,
      eacces: (p) => p.startsWith('/ro'),
      eioOnFsync: true,
    });
    rec.fs.writeFileSync('/d/a', 'abcd');
    expect(() => rec.fs.writeFileSync('/d/a', 'abcde')).toThrow(/ENOSPC/);
    expect(() => rec.fs.writeFileSync('/ro/x', '')).toThrow(/EACCES/);
    const fd = rec.fs.openSync('/d/a', 'r+');
    expect(() => rec.fs.fsyncSync(fd)).toThrow(/EIO/);
  });

  it('refuses what it does not model instead of touching the real disk', () => {
    const rec = new RecordingFs(seedVolume({}));
    expect(() => (rec.fs as unknown as { mkdtempSync: () => void }).mkdtempSync()).toThrow(/does not model/);
  });
});

describe('power-loss states', () => {
  it('lose data that was never fsynced', () => {
    const rec = new RecordingFs(seedVolume({ '/d/a': 'durable' }));
    rec.fs.writeFileSync('/d/a', 'volatile');
    expect(rec.powerLossImage('lose-unsynced-data').files.get('/d/a')?.toString()).toBe('durable');
  });

  it('undo a rename until the folder is fsynced, and keep it after', () => {
    const rec = new RecordingFs(seedVolume({ '/d/a': 'old' }));
    const fd = rec.fs.openSync('/d/tmp', 'w');
    rec.fs.writeSync(fd, 'new');
    rec.fs.fsyncSync(fd);
    rec.fs.closeSync(fd);
    rec.fs.renameSync('/d/tmp', '/d/a');
    expect(rec.powerLossImage('both').files.get('/d/a')?.toString()).toBe('old');
    const dir = rec.fs.openSync('/d', 'r');
    rec.fs.fsyncSync(dir);
    expect(rec.powerLossImage('both').files.get('/d/a')?.toString()).toBe('new');
    expect(rec.powerLossImage('both').files.has('/d/tmp')).toBe(false);
  });
});

describe('the crash sweep', () => {
  it('passes a tool that writes its checkpoint with temp file, fsync and rename', async () => {
    const plan = await planCrashSweep({ files: toyFiles, run: atomicToy, powerLoss: true });
    expect(plan.states.length).toBeGreaterThan(plan.operations);
    expect(await plan.verify()).toEqual([]);
  });

  it('fails a tool that writes its checkpoint in place (a torn write is not JSON)', async () => {
    const plan = await planCrashSweep({ files: toyFiles, run: inPlaceToy });
    const failures = await plan.verify();
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.join('\n')).toMatch(/torn: resume exited 65/);
  });

  it('fails a tool that renames without fsync once power loss is in the sweep', async () => {
    expect(await (await planCrashSweep({ files: toyFiles, run: noFsyncToy })).verify()).toEqual([]);
    const failures = await (await planCrashSweep({ files: toyFiles, run: noFsyncToy, powerLoss: true })).verify();
    expect(failures.join('\n')).toMatch(/power loss/);
  });

  it('runs a tool to the end when nothing crashes', async () => {
    const result = await runOnVolume(atomicToy, seedVolume(toyFiles));
    expect(result.code).toBe(0);
    expect(snapshotVolume(result.rec.vol).files.get('/data/total.txt')?.toString()).toBe('78\n');
  });
});

describe('corrupt-checkpoint fixtures', () => {
  it('give one case per G3 failure, built from a valid checkpoint', () => {
    const cases = corruptCheckpointCases({
      valid: { offset: 3, schema_version: 1, input: 'abc' },
      offsetField: 'offset',
      pastEnd: 99,
      schemaField: 'schema_version',
      inputField: 'input',
      foreignValue: 'xyz',
    });
    expect(cases.map((c) => c.name)).toContain('newer schema (schema_version = 2)');
    expect(cases.find((c) => c.name === 'written for another input')!.content).toContain('"xyz"');
    expect(cases.find((c) => c.name.startsWith('offset past'))!.content).toContain('99');
    expect(cases).toHaveLength(10);
  });
});

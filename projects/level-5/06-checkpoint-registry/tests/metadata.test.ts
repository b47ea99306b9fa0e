// The metadata given at creation is stored with the row and drives the resume: the input, the
// export, the batch size and the cadence come from the row, not from the flags of the command
// that resumes (the seed never stored it, and resumed the wrong pipeline).
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointRows, mineArgs, resultRows, resumeArgs, runTool, SAMPLE, Workspace } from './tool.ts';

const workspaces: Workspace[] = [];
afterEach(() => workspaces.splice(0).forEach((ws) => ws.remove()));
const fresh = (files?: Record<string, string>) => {
  const ws = new Workspace(files);
  workspaces.push(ws);
  return ws;
};

// Another log: the sample without its "URGENT" campaign, so it mines to other patterns.
const OTHER = SAMPLE.split('\n').filter((l) => !l.includes('URGENT')).join('\n');

describe('the metadata given at creation', () => {
  it('is stored with the row: input, its sha256, export, batch size and cadence', async () => {
    const ws = fresh();
    await runTool(ws, mineArgs(ws, '--batch-size', '3', '--checkpoint-every', '4', '--simulate-crash', '5'));
    expect(JSON.parse(checkpointRows(ws)[0]!.metadata)).toEqual({
      input: ws.input,
      input_sha256: createHash('sha256').update(SAMPLE).digest('hex'),
      export: ws.export,
      batch_size: 3,
      checkpoint_every: 4,
    });
  });

  it('drives resume-mining <id>: the input, export and settings of the row, not the defaults', async () => {
    // What an uninterrupted run on the other log, with these settings, leaves.
    const flags = (ws: Workspace) => ['--input', ws.path('other.log'), '--export', ws.path('other.json'), '--batch-size', '3', '--checkpoint-every', '1'];
    const clean = fresh({ 'other.log': OTHER });
    expect((await runTool(clean, ['mine-patterns', '7', '--db', clean.db, ...flags(clean)])).code).toBe(0);

    const ws = fresh({ 'other.log': OTHER, 'sample_messages.log': SAMPLE });
    const argv = ['mine-patterns', '7', '--db', ws.db, ...flags(ws)];
    expect((await runTool(ws, [...argv, '--simulate-crash', '10'])).code).toBe('crashed');
    const resumed = await runTool(ws, resumeArgs(ws, 1));
    expect(resumed.code, resumed.log.join('\n')).toBe(0);
    expect(resumed.log).toContain(`Settings given at creation: ${ws.path('other.log')}, batch size 3, checkpoint every 1 chunks, export ${ws.path('other.json')}`);
    expect(ws.read('other.json')).toBe(clean.read('other.json'));
    expect(ws.exists('patterns.json')).toBe(false);
    expect(resultRows(ws)).toEqual(resultRows(clean));
    // every chunk of 3 was saved, as the row's cadence says, not the default 5
    const chunks = resumed.log.filter((l) => l.includes('of stage1, chunk')).map((l) => Number(/chunk (\d+)/.exec(l)![1]));
    expect(chunks).toEqual(chunks.map((_, k) => chunks[0]! + k));
  });

  it('wins over the flags of a rerun of mine-patterns: an unfinished run keeps its own settings', async () => {
    const ws = fresh();
    await runTool(ws, mineArgs(ws, '--batch-size', '2', '--checkpoint-every', '5', '--simulate-crash', '12'));
    const rerun = await runTool(ws, mineArgs(ws, '--batch-size', '7', '--checkpoint-every', '1'));
    expect(rerun.code).toBe(0);
    expect(rerun.log).toContain(`Settings given at creation: ${ws.input}, batch size 2, checkpoint every 5 chunks, export ${ws.export}`);
    expect(rerun.log.filter((l) => /of stage1, chunk \d+\)$/.test(l)).map((l) => Number(/chunk (\d+)/.exec(l)![1]))).toEqual([10, 15]);
  });
});

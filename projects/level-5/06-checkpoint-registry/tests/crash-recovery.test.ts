// G1, G2, G5, G10: wherever a crash lands (SIGKILL after any item, in the middle of an open
// transaction), rerunning gives the same rows in the results table and the same export as a
// run that was never interrupted, and the row ends completed with no owner.
import { describe, expect, it } from 'vitest';
import { checkpointRows, mineArgs, reference, resultRows, resumeArgs, runTool, SAMPLE, Workspace, type ResultRow } from './tool.ts';

const ref = await reference();
const refSummary = JSON.parse((await (async () => {
  const ws = new Workspace();
  try {
    return (await runTool(ws, mineArgs(ws))).out;
  } finally {
    ws.remove();
  }
})())) as { messages: number; groups: number };
const ITEMS = refSummary.messages + refSummary.groups;

/** The window's message ids, newest first, read from the sample without the tool's code. */
const windowIds = SAMPLE.split('\n')
  .filter((l) => /^\d+\t2026-03-(0[4-9]|10)\t/.test(l))
  .map((l) => Number(l.split('\t')[0]))
  .reverse();

/** The results a crash may leave committed: those of stage-2 groups up to the saved position. */
function committedRows(row: { stage: string; last_processed_message_id: number | null }): ResultRow[] {
  if (row.stage === 'completed') return ref.rows;
  if (row.stage === 'stage2' && row.last_processed_message_id !== null) {
    return ref.rows.filter((r) => r.example_message_id >= row.last_processed_message_id!);
  }
  return [];
}

/** The position of the last "Checkpoint saved" line a run logged, or null when none was. */
function lastSaved(log: string[]): number | null {
  const saves = log.filter((l) => l.startsWith('Checkpoint saved at message '));
  return saves.length === 0 ? null : Number(/message (\d+)/.exec(saves.at(-1)!)![1]);
}

describe('crash recovery', () => {
  it(`resumes to the same results rows and export from all ${ITEMS} crash points (SIGKILL after each item, then mine-patterns again)`, async () => {
    expect(ref.rows.length).toBeGreaterThan(0);
    for (let n = 1; n <= ITEMS; n++) {
      const ws = new Workspace();
      try {
        const crashed = await runTool(ws, mineArgs(ws, '--simulate-crash', String(n)));
        expect(crashed.code, `crash after item ${n}`).toBe('crashed');
        const [row] = checkpointRows(ws);
        // The crash left the row as its owner last committed it: running, with the owner's pid.
        expect(row, `crash after item ${n}`).toMatchObject({ id: 1, status: 'running', owner_pid: crashed.pid });
        // Nothing of the open transaction is committed: only the results the checkpoint counts.
        expect(resultRows(ws), `results committed at the crash after item ${n}`).toEqual(committedRows(row!));

        const resumed = await runTool(ws, mineArgs(ws));
        expect(resumed.code, `resume after a crash at item ${n}: ${resumed.log.at(-1)}`).toBe(0);
        expect(resultRows(ws), `results after a crash at item ${n}`).toEqual(ref.rows);
        expect(ws.read('patterns.json'), `export after a crash at item ${n}`).toBe(ref.exported);
        expect(checkpointRows(ws)).toMatchObject([{ id: 1, status: 'completed', stage: 'completed', owner_pid: null, error: null }]);
      } finally {
        ws.remove();
      }
    }
  });

  it('keeps the row at the last periodic update: what was processed after it is done again, once', async () => {
    const ws = new Workspace();
    try {
      // batch 2, update every 5 chunks: the 25th message is in the third interval of stage 1
      const crashed = await runTool(ws, mineArgs(ws, '--simulate-crash', '25'));
      const saved = lastSaved(crashed.log);
      expect(saved).not.toBeNull();
      expect(checkpointRows(ws)[0]).toMatchObject({ stage: 'stage1', last_processed_message_id: saved, chunk_index: 10 });

      const resumed = await runTool(ws, mineArgs(ws));
      const left = windowIds.filter((id) => id < saved!).length;
      // G10: the resumed run groups only the messages older than the saved one, newest first
      expect(resumed.log).toContain(`Stage 1: grouping ${left} of ${windowIds.length} messages, newest first, 2 per chunk, checkpoint every 5 chunks`);
      expect(resumed.log.find((l) => l.startsWith('Resuming checkpoint 1'))).toMatch(new RegExp(`at stage1 after message ${saved} \\(`));
      expect(resultRows(ws)).toEqual(ref.rows);
    } finally {
      ws.remove();
    }
  });

  it('resumes with resume-mining <id> from a crash in stage 1, at the stage boundary, and in stage 2', async () => {
    for (const n of [3, windowIds.length, windowIds.length + 3]) {
      const ws = new Workspace();
      try {
        expect((await runTool(ws, mineArgs(ws, '--simulate-crash', String(n)))).code).toBe('crashed');
        const resumed = await runTool(ws, resumeArgs(ws, 1));
        expect(resumed.code, resumed.log.join('\n')).toBe(0);
        expect(resultRows(ws), `crash after item ${n}`).toEqual(ref.rows);
        expect(ws.read('patterns.json')).toBe(ref.exported);
        expect(JSON.parse(resumed.out)).toMatchObject({ checkpoint_id: 1, status: 'completed' });
      } finally {
        ws.remove();
      }
    }
  });

  it('resumes a run that crashed before its first periodic update (the resume fallback: start of the stage)', async () => {
    const ws = new Workspace();
    try {
      await runTool(ws, mineArgs(ws, '--checkpoint-every', '100', '--simulate-crash', '1'));
      expect(checkpointRows(ws)[0]).toMatchObject({ stage: 'stage1', last_processed_message_id: null, chunk_index: 0 });
      const resumed = await runTool(ws, resumeArgs(ws, 1));
      expect(resumed.code, resumed.log.join('\n')).toBe(0);
      expect(resumed.log).toContain('Resuming checkpoint 1 at the start of stage1: no chunk of it was saved yet');
      expect(resultRows(ws)).toEqual(ref.rows);
    } finally {
      ws.remove();
    }
  });

  it('gives the same rows and export whatever the batch size and cadence, however many crashes on the way (G5)', async () => {
    for (const batch of ['1', '3', '100']) {
      for (const every of ['1', '4']) {
        const ws = new Workspace();
        try {
          const flags = ['--batch-size', batch, '--checkpoint-every', every];
          for (let crash = 0; crash < 3; crash++) await runTool(ws, mineArgs(ws, ...flags, '--simulate-crash', '6'));
          const done = await runTool(ws, mineArgs(ws, ...flags));
          expect(done.code, `batch ${batch}, every ${every}: ${done.log.at(-1)}`).toBe(0);
          expect(resultRows(ws), `batch ${batch}, every ${every}`).toEqual(ref.rows);
          expect(ws.read('patterns.json'), `batch ${batch}, every ${every}`).toBe(ref.exported);
        } finally {
          ws.remove();
        }
      }
    }
  });

  it('starts a new run, with its own rows, once the last one with these parameters completed', async () => {
    const ws = new Workspace();
    try {
      await runTool(ws, mineArgs(ws));
      const second = await runTool(ws, mineArgs(ws));
      expect(second.code).toBe(0);
      expect(second.log[0]).toMatch(/^Started checkpoint 2: /);
      expect(resultRows(ws)).toEqual([...ref.rows, ...ref.rows.map((r) => ({ ...r, checkpoint_id: 2 }))]);
      expect(ws.read('patterns.json')).toBe(ref.exported);
    } finally {
      ws.remove();
    }
  });
});

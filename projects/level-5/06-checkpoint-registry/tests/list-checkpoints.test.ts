// `list-checkpoints [limit] [status]`: newest first, the status filter filters (the seed's only
// ever searched running rows), a row left by a dead owner is shown resumable, --json gives the
// stored columns, and listing never creates or changes anything.
import { afterAll, describe, expect, it } from 'vitest';
import { listArgs, mineArgs, runTool, Workspace } from './tool.ts';

// One registry with a row of every kind: 1 completed, 2 failed (interrupted), 3 running with a
// dead owner, 4 running with a live one.
const ws = new Workspace();
afterAll(() => ws.remove());
const job = (days: string, ...extra: string[]) => ['mine-patterns', days, ...mineArgs(ws).slice(2), ...extra];
await runTool(ws, job('7'));
const interrupt = { requested: false };
await runTool(ws, job('5'), { interrupt, onLog: (l) => l.startsWith('Checkpoint saved') && (interrupt.requested = true) });
const dead = await runTool(ws, job('3', '--simulate-crash', '3'));
const live = await runTool(ws, job('6', '--simulate-crash', '3'));
const list = (...args: string[]) => runTool(ws, listArgs(ws, ...args), { isAlive: (pid) => pid === live.pid });
const ids = (json: string) => (JSON.parse(json) as { id: number }[]).map((r) => r.id);

describe('list-checkpoints', () => {
  it('lists the newest first, 10 unless told, at most [limit]', async () => {
    expect(ids((await list('--json')).out)).toEqual([4, 3, 2, 1]);
    expect(ids((await list('2', '--json')).out)).toEqual([4, 3]);
  });

  it('filters by status: running, completed or failed', async () => {
    expect(ids((await list('10', 'running', '--json')).out)).toEqual([4, 3]);
    expect(ids((await list('10', 'completed', '--json')).out)).toEqual([1]);
    expect(ids((await list('10', 'failed', '--json')).out)).toEqual([2]);
    expect(ids((await list('1', 'running', '--json')).out)).toEqual([4]);
  });

  it('prints a table that shows a dead owner as resumable and a live one as holding its row', async () => {
    const lines = (await list()).out.trimEnd().split('\n');
    expect(lines[0]).toBe('id  status     stage      days  min_spam  last_message  chunk  last_updated              note');
    expect(lines.slice(1).map((l) => l.replace(/  \S+Z  /, '  <time>  '))).toEqual([
      ` 4  running    stage1        6         2             -      0  <time>  held by pid ${live.pid}`,
      ` 3  running    stage1        3         2             -      0  <time>  resumable: its owner pid ${dead.pid} is gone (resume-mining 3)`,
      expect.stringMatching(/^ 2  failed     stage1        5         2 +\d+ +5  <time>  resumable: failed, interrupted \(SIGINT\) \(resume-mining 2\)$/),
      ' 1  completed  completed     7         2             -      0  <time>  5 patterns',
    ]);
  });

  it('gives the stored columns as JSON, the JSON columns parsed, with resumable and the note', async () => {
    const [row] = JSON.parse((await list('1', 'failed', '--json')).out) as Record<string, unknown>[];
    expect(row).toMatchObject({
      id: 2,
      status: 'failed',
      stage: 'stage1',
      days: 5,
      min_spam_count: 2,
      owner_pid: null,
      error: 'interrupted (SIGINT)',
      metadata: { input: ws.input, export: ws.export, batch_size: 2, checkpoint_every: 5 },
      resumable: true,
    });
    expect(typeof row!.patterns_in_progress).toBe('object');
  });

  it('says when there are none, and creates no file when there is no database', async () => {
    const other = new Workspace();
    try {
      expect((await runTool(other, listArgs(other))).out).toBe(`No checkpoints in ${other.db}\n`);
      expect((await runTool(other, listArgs(other, '--json'))).out).toBe('[]\n');
      expect(other.exists('registry.db')).toBe(false);
      await runTool(other, mineArgs(other));
      expect((await runTool(other, listArgs(other, '10', 'failed'))).out).toBe(`No failed checkpoints in ${other.db}\n`);
    } finally {
      other.remove();
    }
  });

  it('changes nothing in the registry', async () => {
    const before = ws.files();
    await list();
    await list('3', 'running', '--json');
    expect(ws.files()).toEqual(before);
  });
});

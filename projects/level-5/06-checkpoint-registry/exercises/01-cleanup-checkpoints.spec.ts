// Alter it, task 1: `cleanup-checkpoints <days>` removes the completed checkpoints last updated
// more than <days> days ago, with their rows in the results table, in one transaction; running
// and failed checkpoints stay, whatever their age (the seed's advice: "Cleanup Old Checkpoints:
// Remove completed checkpoints older than 30 days").
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointRows, CLOCK, mineArgs, resultRows, runTool, sql, Workspace } from '../tests/tool.ts';

const workspaces: Workspace[] = [];
afterEach(() => workspaces.splice(0).forEach((ws) => ws.remove()));

/** A registry with 1 completed (old), 2 completed (recent), 3 failed (old), 4 running (old). */
async function registry(): Promise<Workspace> {
  const ws = new Workspace();
  workspaces.push(ws);
  const job = (days: string, ...extra: string[]) => ['mine-patterns', days, ...mineArgs(ws).slice(2), ...extra];
  await runTool(ws, job('7'));
  await runTool(ws, job('5'));
  const interrupt = { requested: false };
  await runTool(ws, job('3'), { interrupt, onLog: (l) => l.startsWith('Checkpoint saved') && (interrupt.requested = true) });
  await runTool(ws, job('6', '--simulate-crash', '3'));
  sql(ws, "UPDATE pattern_mining_checkpoints SET last_updated = '2026-09-01T00:00:00.000Z' WHERE id IN (1, 3, 4)");
  return ws;
}

describe('cleanup-checkpoints <days>', () => {
  it('removes the completed checkpoints last updated more than <days> days ago, and their results', async () => {
    const ws = await registry();
    const kept = resultRows(ws).filter((r) => r.checkpoint_id !== 1);
    const removedPatterns = resultRows(ws).length - kept.length;
    const run = await runTool(ws, ['cleanup-checkpoints', '30', '--db', ws.db]);
    expect(run.code, run.log.join('\n')).toBe(0);
    expect(checkpointRows(ws).map((r) => [r.id, r.status])).toEqual([[2, 'completed'], [3, 'failed'], [4, 'running']]);
    expect(resultRows(ws)).toEqual(kept);
    expect(JSON.parse(run.out)).toEqual({ removed: 1, patterns: removedPatterns });
  });

  it('keeps a completed checkpoint younger than <days> days', async () => {
    const ws = await registry();
    const cutoff = new Date(CLOCK.getTime() - 100 * 86_400_000).toISOString();
    expect('2026-09-01T00:00:00.000Z' > cutoff).toBe(true);
    const run = await runTool(ws, ['cleanup-checkpoints', '100', '--db', ws.db]);
    expect(run.code).toBe(0);
    expect(checkpointRows(ws).map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(JSON.parse(run.out)).toEqual({ removed: 0, patterns: 0 });
  });

  it('refuses a bad <days> with exit 2, and creates no database where there is none', async () => {
    const ws = new Workspace();
    workspaces.push(ws);
    expect((await runTool(ws, ['cleanup-checkpoints', '0', '--db', ws.db])).code).toBe(2);
    const none = await runTool(ws, ['cleanup-checkpoints', '30', '--db', ws.db]);
    expect(none.code).toBe(0);
    expect(JSON.parse(none.out)).toEqual({ removed: 0, patterns: 0 });
    expect(ws.exists('registry.db')).toBe(false);
  });
});

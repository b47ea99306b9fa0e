// The periodic update fires every N chunks exactly as configured (the seed's "every 25" first
// fired at chunk 50, then every 75, and with its defaults never), and at the end of each stage.
import { describe, expect, it } from 'vitest';
import { mineArgs, runTool, Workspace } from './tool.ts';

/** The chunk numbers of the "Checkpoint saved" lines of one stage. */
const savedChunks = (log: string[], stage: string) =>
  log.filter((l) => l.startsWith('Checkpoint saved') && l.includes(`of ${stage}, `)).map((l) => Number(/chunk (\d+)\)$/.exec(l)![1]));

/** N, 2N, 3N ... up to the stage's last chunk, and the last chunk itself. */
function expectedChunks(chunks: number, every: number): number[] {
  const due = Array.from({ length: Math.floor(chunks / every) }, (_, k) => (k + 1) * every);
  return due.at(-1) === chunks ? due : [...due, chunks];
}

async function run(argv: (ws: Workspace) => string[], files?: Record<string, string>) {
  const ws = new Workspace(files);
  try {
    const first = await runTool(ws, argv(ws));
    return { ...first, ws: undefined, summary: JSON.parse(first.out || '{}') as { messages: number; groups: number } };
  } finally {
    ws.remove();
  }
}

describe('the periodic update', () => {
  it('fires every N chunks exactly as configured, and at the end of each stage', async () => {
    for (const batch of [1, 2, 5]) {
      for (const every of [1, 2, 3, 5]) {
        const r = await run((ws) => mineArgs(ws, '--batch-size', String(batch), '--checkpoint-every', String(every)));
        const label = `batch ${batch}, every ${every}`;
        expect(savedChunks(r.log, 'stage1'), label).toEqual(expectedChunks(Math.ceil(r.summary.messages / batch), every));
        expect(savedChunks(r.log, 'stage2'), label).toEqual(expectedChunks(Math.ceil(r.summary.groups / batch), every));
      }
    }
  });

  it('fires with the defaults too: 100 messages a chunk, every 5 chunks, on a log of 1,250 messages', async () => {
    const lines = Array.from({ length: 1250 }, (_, i) => `${i + 1}\t2026-03-10\t${i % 2 ? 'spam' : 'ham'}\tWin ${i % 7} prizes at http://x.example/${i}`);
    const r = await run((ws) => ['mine-patterns', '7', '--db', ws.db, '--input', ws.input, '--export', ws.export], { 'sample_messages.log': `${lines.join('\n')}\n` });
    expect(r.code).toBe(0);
    expect(savedChunks(r.log, 'stage1')).toEqual([5, 10, 13]);
  });

  it('keeps its rhythm across a resume: the chunk count is saved with the checkpoint', async () => {
    const ws = new Workspace();
    try {
      const crashed = await runTool(ws, mineArgs(ws, '--batch-size', '1', '--checkpoint-every', '4', '--simulate-crash', '10'));
      expect(savedChunks(crashed.log, 'stage1')).toEqual([4, 8]);
      const resumed = await runTool(ws, mineArgs(ws, '--batch-size', '1', '--checkpoint-every', '4'));
      const summary = JSON.parse(resumed.out) as { messages: number };
      expect(savedChunks(resumed.log, 'stage1')).toEqual(expectedChunks(summary.messages, 4).filter((c) => c > 8));
    } finally {
      ws.remove();
    }
  });
});

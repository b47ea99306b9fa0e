// Every data break of project.json (what `npm run course -- break level-5 <name>` does) does
// what the page says: after it, the run command exits with the documented code and message.
// In-process, on a scratch folder: the manifest's data/ paths are mapped into it.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runTool, Workspace } from './tool.ts';

interface DataBreak {
  name: string;
  description: string;
  write?: { path: string; content: string };
  prepare?: string[][];
  expect: { code: number; message: string };
}
const manifest = JSON.parse(readFileSync(new URL('../project.json', import.meta.url), 'utf8')) as { run: string[]; dataBreaks: DataBreak[] };

/** The manifest's arguments, with the files of this scratch folder (a flag given twice: the last counts). */
const inWorkspace = (ws: Workspace, args: string[]) => [...args, '--db', ws.db, '--input', ws.input, '--export', ws.export];

describe('the data breaks of project.json', () => {
  it('cover the standard names that apply to a database (the others are covered by tests/corrupt-registry.test.ts)', () => {
    expect(manifest.dataBreaks.map((d) => d.name)).toEqual(['not-a-database', 'empty', 'newer-schema', 'foreign-input', 'leftover-temp', 'crash-mid-write']);
  });

  for (const d of manifest.dataBreaks) {
    it(`${d.name}: the run command then exits ${d.expect.code} with "${d.expect.message}"`, async () => {
      const ws = new Workspace();
      try {
        for (const args of d.prepare ?? []) await runTool(ws, inWorkspace(ws, args));
        if (d.write) writeFileSync(ws.path(d.write.path.replace(/^data\//, '')), d.write.content);
        const run = await runTool(ws, inWorkspace(ws, manifest.run));
        expect(run.code, run.log.join('\n')).toBe(d.expect.code);
        expect(run.log.join('\n').replaceAll(`${ws.dir}/`, 'data/')).toContain(d.expect.message);
      } finally {
        ws.remove();
      }
    });
  }
});

// project.json's data breaks are what `npm run course -- break level-3 <name>` does to the
// data; the README's table documents them. Each one is run here, in memory: its prepare runs,
// its write, then the project's run command, which must exit and log as it says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { PATHS, sampleFiles, tool } from './tool.ts';

interface DataBreak {
  name: string;
  description: string;
  prepare?: string[][];
  write?: { path: string; content: string };
  expect: { code: number; message: string };
}
const manifest = JSON.parse(readFileSync(new URL('../project.json', import.meta.url), 'utf8')) as { run: string[]; dataBreaks: DataBreak[] };
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The project folder's `data/...` is the test volume's `/work/data/...`. */
const onVolume = (arg: string) => arg.replace(/^data\//, `${PATHS.dir}/`);

describe('the data breaks in project.json', () => {
  it('include every case the course asks for', () => {
    const names = manifest.dataBreaks.map((d) => d.name);
    for (const name of ['not-json', 'empty', 'wrong-type', 'negative-offset', 'offset-past-end', 'newer-schema', 'foreign-input', 'leftover-temp', 'crash-mid-write']) {
      expect(names).toContain(name);
    }
  });

  it.each(manifest.dataBreaks.map((d) => [d.name, d] as const))('%s: the run command exits and logs as project.json says', async (_name, d) => {
    let volume = seedVolume(sampleFiles());
    for (const prepare of d.prepare ?? []) {
      volume = volumeFromSnapshot((await runOnVolume(tool(prepare.map(onVolume)), volume)).after);
    }
    if (d.write) volume.writeFileSync(onVolume(d.write.path), d.write.content);
    const r = await runOnVolume(tool(manifest.run.map(onVolume)), volume);
    expect(r.code).toBe(d.expect.code);
    expect(r.env.log.join('\n')).toContain(d.expect.message);
  });

  it.each(manifest.dataBreaks.map((d) => [d.name, d] as const))('%s: is in the README with its exit code and message', (_name, d) => {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`npm run course -- break level-3 ${d.name}\` |`));
    expect(row, `a row for ${d.name}`).toBeDefined();
    expect(row).toContain(`exit ${d.expect.code}`);
    if (d.expect.code !== 0) expect(row).toContain(d.expect.message);
  });
});

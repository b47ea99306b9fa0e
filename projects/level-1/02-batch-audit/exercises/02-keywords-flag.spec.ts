// Alter it, task 2: `--keywords a,b,c` replaces the keyword list for a run. The words are
// checked with the other flags, before anything is read or written (G4).
import { describe, expect, it } from 'vitest';
import { diffSnapshots, runOnVolume, seedVolume, snapshotVolume } from '../../../../test/kit/index.ts';
import { args, fileOf, PATHS, postsCsv, sampleFiles, tool } from '../tests/tool.ts';

const input = postsCsv([
  ['2020-01-01', 'Coffee, then code'],
  ['2020-01-02', 'crypto is over'],
  ['2020-01-03', 'PASTA night #pasta'],
  ['2020-01-04', 'see https://bit.ly/x'],
]);

describe('--keywords', () => {
  it('replaces the built-in keywords: only the given words are flagged as keywords, other rules still apply', async () => {
    const done = await runOnVolume(tool(args('--keywords', 'coffee,Pasta')), seedVolume(sampleFiles(input)));
    expect(done.code).toBe(0);
    expect(fileOf(done.after, PATHS.output)).toBe(
      'index,id,reasons,text\n0,1,keyword:coffee,"Coffee, then code"\n2,3,keyword:pasta,PASTA night #pasta\n3,4,short-link:bit.ly,see https://bit.ly/x\n',
    );
  });

  it('keeps the built-in list when the flag is not given', async () => {
    const done = await runOnVolume(tool(), seedVolume(sampleFiles(input)));
    expect(fileOf(done.after, PATHS.output)).toContain('1,2,keyword:crypto,crypto is over\n');
  });

  it('shows the flag in --help', async () => {
    const help = await runOnVolume(tool(['--help']), seedVolume(sampleFiles()));
    expect(help.env.out.join('')).toContain('--keywords');
  });

  for (const bad of ['', ',', 'coffee,,pasta', 'two words', 'c++', 'caf\u00e9,']) {
    it(`refuses --keywords '${bad}' with exit 2 before anything is written`, async () => {
      const vol = seedVolume(sampleFiles(input));
      const before = snapshotVolume(vol);
      const r = await runOnVolume(tool(args('--keywords', bad)), vol);
      expect(r.code).toBe(2);
      expect(r.env.log[0]).toMatch(/^Error: --keywords /);
      expect(diffSnapshots(before, snapshotVolume(vol))).toEqual([]);
    });
  }
});

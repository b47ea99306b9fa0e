// G4: bad flags and bad input are refused before any write, with the course's exit codes;
// --force starts over without deleting anything; a finished run is never appended to.
import { describe, expect, it } from 'vitest';
import { diffSnapshots, runOnVolume, seedVolume, snapshotVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { VERSION } from '../src/args.ts';
import { args, CLOCK, fileOf, PATHS, postsCsv, sampleFiles, tool } from './tool.ts';

async function runOn(files: Record<string, string>, argv: string[], dirs: string[] = ['/work/data']) {
  const vol = seedVolume(files, dirs);
  const before = snapshotVolume(vol);
  const result = await runOnVolume(tool(argv), vol);
  return { ...result, changed: diffSnapshots(before, snapshotVolume(vol)) };
}

const BAD_NUMBERS = ['0', '-1', '1.5', 'abc', '9007199254740993', '', '1e3', ' 5'];

describe('bad flags', () => {
  for (const flag of ['--batch-size', '--simulate-crash']) {
    for (const value of BAD_NUMBERS) {
      it(`refuse ${flag} '${value}' with exit 2 before anything is written`, async () => {
        const result = await runOn(sampleFiles(), args(flag, value));
        expect(result.code).toBe(2);
        expect(result.env.log).toEqual([`Error: ${flag} must be a positive whole number, got '${value}'`, 'Run with --help for usage.']);
        expect(result.changed).toEqual([]);
      });
    }
  }

  const usage: Array<[string, string[], RegExp]> = [
    ['a missing --input', ['--output', PATHS.output], /Missing required argument: input/],
    ['an unknown flag', [...args(), '--resume'], /Unknown argument: resume/],
    ['a flag with no value', [...args(), '--batch-size'], /Not enough arguments following: batch-size/],
    ['a value with no flag', [...args(), 'extra.csv'], /Unknown argument: extra.csv|unexpected argument 'extra.csv'/],
    ['--input given twice', [...args(), '--input', PATHS.input], /--input needs exactly one file path/],
    ['--output naming the input', ['--input', PATHS.input, '--output', PATHS.input, '--checkpoint', PATHS.checkpoint], /must be three different files/],
    ['--checkpoint naming the output', ['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', PATHS.output], /must be three different files/],
  ];
  for (const [name, argv, message] of usage) {
    it(`refuse ${name} with exit 2 before anything is written`, async () => {
      const result = await runOn(sampleFiles(), argv);
      expect(result.code).toBe(2);
      expect(result.env.log[0]).toMatch(message);
      expect(result.changed).toEqual([]);
    });
  }

  it('--help prints the flags and an example, and exits 0', async () => {
    const result = await runOn(sampleFiles(), ['--help']);
    expect(result.code).toBe(0);
    const text = result.env.out.join('');
    for (const flag of ['--input', '--output', '--checkpoint', '--batch-size', '--simulate-crash', '--force']) expect(text).toContain(flag);
    expect(text).toMatch(/Examples:/);
    expect(result.changed).toEqual([]);
  });

  it('--version prints the version and exits 0', async () => {
    const result = await runOn(sampleFiles(), ['--version']);
    expect(result.env.out.join('')).toBe(`${VERSION}\n`);
    expect(result.code).toBe(0);
  });
});

describe('bad input', () => {
  const input = (text: string) => ({ [PATHS.input]: text });
  const cases: Array<[string, Record<string, string>, number, string]> = [
    ['a missing input file', {}, 66, `Input file ${PATHS.input} not found; check --input`],
    ['a header that is not id,created_at,text', input('url,deleted\nx,false\n'), 65, `line 1: expected the header 'id,created_at,text', got 'url,deleted'`],
    ['an empty file', input(''), 65, `line 1: expected the header 'id,created_at,text', got ''`],
    ['a quoted field never closed', input('id,created_at,text\n1,2020-01-01,fine\n2,2020-01-02,"open\nand on\n'), 65, 'line 3: a quoted field is never closed'],
    ['a quote inside an unquoted field', input('id,created_at,text\n1,2020-01-01,say "hi"\n'), 65, 'line 2: a quote inside an unquoted field'],
    ['text after a closing quote', input('id,created_at,text\n1,2020-01-01,"hi" there\n'), 65, "line 2: unexpected ' ' after a closing quote"],
    ['a record with an extra field (an unquoted comma)', input('id,created_at,text\n1,2020-01-01,hello, world\n'), 65, 'line 2: expected 3 fields, got 4'],
    ['an id that is not digits', input('id,created_at,text\nabc,2020-01-01,x\n'), 65, "line 2: id must be digits, got 'abc'"],
    ['an id twice', input('id,created_at,text\n7,2020-01-01,x\n7,2020-01-02,y\n'), 65, 'line 3: id 7 appears twice'],
    ['a date that is not a date', input('id,created_at,text\n1,yesterday,x\n'), 65, "line 2: created_at must look like"],
  ];
  for (const [name, files, code, message] of cases) {
    it(`refuses ${name} with exit ${code} before anything is written`, async () => {
      const result = await runOn(files, args());
      expect(result.code).toBe(code);
      expect(result.env.log).toHaveLength(1);
      expect(result.env.log[0]).toContain(message);
      expect(result.changed).toEqual([]);
    });
  }

  it('refuses an input that is a folder with exit 66', async () => {
    const result = await runOn({}, args(), ['/work/data', PATHS.input]);
    expect(result.code).toBe(66);
    expect(result.env.log[0]).toMatch(/is a folder/);
  });

  it('refuses an output folder that does not exist with exit 73, before anything is written', async () => {
    const result = await runOn(sampleFiles(), ['--input', PATHS.input, '--output', '/work/missing/results.csv', '--checkpoint', PATHS.checkpoint]);
    expect(result.code).toBe(73);
    expect(result.env.log[0]).toBe('Error: Output folder /work/missing does not exist; create it first');
    expect(result.changed).toEqual([]);
  });

  it('reads quoted commas, doubled quotes, line breaks, CRLF and a BOM, and copies the text into the results exactly', async () => {
    const text = 'I hate "quotes", commas,\r\nand CRLF line breaks';
    const csv = `\uFEFFid,created_at,text\r\n1,2020-01-01,calm\r\n2,2020-01-02,"${text.replace(/"/g, '""')}"\r\n`;
    const result = await runOn(input(csv), args());
    expect(result.code).toBe(0);
    expect(fileOf(result.after, PATHS.output)).toBe(`index,id,reasons,text\n1,2,keyword:hate,"${text.replace(/"/g, '""')}"\n`);
  });
});

describe('starting over and finishing', () => {
  it('refuses to append to the results of a finished run (no checkpoint): exit 73, nothing changed', async () => {
    const done = await runOnVolume(tool(), seedVolume(sampleFiles()));
    const vol = volumeFromSnapshot(done.after);
    const again = await runOnVolume(tool(), vol);
    expect(again.code).toBe(73);
    expect(again.env.log[0]).toBe(
      `Error: Results file ${PATHS.output} already exists and there is no checkpoint ${PATHS.checkpoint} (a finished run?); move it aside or rerun with --force`,
    );
    expect(diffSnapshots(done.after, snapshotVolume(vol))).toEqual([]);
  });

  it('--force moves the checkpoint and the results aside, never deletes them, and starts over', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '25')), seedVolume(sampleFiles()));
    const reference = (await runOnVolume(tool(), seedVolume(sampleFiles()))).after;
    const forced = await runOnVolume(tool(args('--force')), volumeFromSnapshot(crashed.after));
    expect(forced.code).toBe(0);
    const stamp = '20261125T120000Z';
    expect(CLOCK.toISOString()).toBe('2026-11-25T12:00:00.000Z');
    expect(fileOf(forced.after, `${PATHS.checkpoint}.bak-${stamp}`)).toBe(fileOf(crashed.after, PATHS.checkpoint));
    expect(fileOf(forced.after, `${PATHS.output}.bak-${stamp}`)).toBe(fileOf(crashed.after, PATHS.output));
    expect(forced.env.log[0]).toBe(`Moved ${PATHS.checkpoint} aside to ${PATHS.checkpoint}.bak-${stamp}`);
    expect(forced.env.log).toContain(`Starting fresh: 45 posts in ${PATHS.input}, batch size 10`);
    expect(fileOf(forced.after, PATHS.output)).toBe(fileOf(reference, PATHS.output));
    expect(forced.after.files.has(PATHS.checkpoint)).toBe(false);
  });

  it('--force starts over from a corrupt checkpoint, and twice in one second keeps both old copies', async () => {
    let vol = seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: '' });
    for (let i = 0; i < 2; i++) {
      const forced = await runOnVolume(tool(args('--force')), vol);
      expect(forced.code).toBe(0);
      vol = volumeFromSnapshot(forced.after);
    }
    const names = [...snapshotVolume(vol).files.keys()].filter((p) => p.includes('.bak-')).sort();
    expect(names).toEqual([`${PATHS.checkpoint}.bak-20261125T120000Z`, `${PATHS.output}.bak-20261125T120000Z`]);
    // the second --force found no checkpoint (the first run cleared it) but moved the results
    const third = await runOnVolume(tool(args('--force')), vol);
    expect([...third.after.files.keys()].filter((p) => p.includes('.bak-')).sort()).toContain(`${PATHS.output}.bak-20261125T120000Z-2`);
  });

  it('handles an input with no posts: the results file holds the header and the checkpoint is cleared', async () => {
    const result = await runOn({ [PATHS.input]: postsCsv([]) }, args());
    expect(result.code).toBe(0);
    expect(fileOf(result.after, PATHS.output)).toBe('index,id,reasons,text\n');
    expect(result.after.files.has(PATHS.checkpoint)).toBe(false);
    expect(JSON.parse(result.env.out.join(''))).toMatchObject({ posts: 0, flagged: 0 });
  });
});

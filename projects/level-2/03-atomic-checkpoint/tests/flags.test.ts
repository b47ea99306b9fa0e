// G4: bad flags, missing sources and unusable records are refused before anything is written.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { args, paths, SOURCES, STAGING, sampleFiles, tool } from './tool.ts';

const base = ['--sources', SOURCES, '--staging', STAGING];

async function attempt(argv: string[], files: Record<string, string | Buffer> = sampleFiles(), dirs: string[] = []) {
  const result = await runOnVolume(tool(argv), seedVolume(files, dirs));
  return { code: result.code, log: result.env.log, out: result.env.out.join(''), ops: result.rec.ops, after: result.after };
}

describe('flags', () => {
  it.each(['0', '-1', '1.5', 'abc', '9007199254740993', '', '1e3'])('refuses --batch-size %j with exit 2 before any write', async (value) => {
    const r = await attempt([...base, '--batch-size', value]);
    expect(r.code).toBe(2);
    expect(r.log[0]).toMatch(/--batch-size/);
    expect(r.ops).toEqual([]);
    expect(r.out).toBe('');
  });

  it('says what a bad --batch-size should be', async () => {
    const r = await attempt([...base, '--batch-size', '0']);
    expect(r.log).toEqual(["Error: --batch-size must be a positive whole number, got '0'", 'Run with --help for usage.']);
  });

  it.each(['0', '-3', 'x', '2.5'])('refuses --simulate-crash %j with exit 2', async (value) => {
    const r = await attempt([...base, '--simulate-crash', value]);
    expect(r.code).toBe(2);
    expect(r.log[0]).toMatch(/--simulate-crash must be a positive whole number/);
    expect(r.ops).toEqual([]);
  });

  it.each(['-1', 'soon', '0.5'])('refuses --pause-ms %j with exit 2', async (value) => {
    const r = await attempt([...base, '--pause-ms', value]);
    expect(r.code).toBe(2);
    expect(r.log[0]).toMatch(/--pause-ms must be a whole number >= 0/);
    expect(r.ops).toEqual([]);
  });

  it.each([
    ['a missing --sources', ['--staging', STAGING], /sources/],
    ['a missing --staging', ['--sources', SOURCES], /staging/],
    ['an unknown flag', [...base, '--batchsize', '3'], /Unknown argument/i],
    ['a stray value', [...base, 'extra'], /Unknown argument: extra/],
    ['--force with a value', [...base, '--force', 'yes'], /Unknown argument: yes/],
  ])('refuses %s with exit 2', async (_name, argv, message) => {
    const r = await attempt(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.log.join('\n')).toMatch(message as RegExp);
    expect(r.ops).toEqual([]);
  });

  it('prints help with an example and exits 0', async () => {
    const r = await attempt(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Examples:/);
    expect(r.out).toMatch(/--sources data\/sample_sources --staging data\/staging --batch-size 4/);
    expect(r.ops).toEqual([]);
  });

  it('prints its version', async () => {
    const r = await attempt(['--version']);
    expect(r.out.trim()).toBe('1.0.0');
  });
});

describe('sources and staging', () => {
  it('refuses a missing sources folder with exit 66 and writes nothing', async () => {
    const r = await attempt(args(), {});
    expect(r.code).toBe(66);
    expect(r.log.at(-1)).toBe(`Error: Sources folder ${SOURCES} does not exist; check the --sources path`);
    expect(r.ops).toEqual([]);
  });

  it('refuses a sources folder with no .jsonl files with exit 66', async () => {
    const r = await attempt(args(), { [`${SOURCES}/notes.txt`]: 'not a source' });
    expect(r.code).toBe(66);
    expect(r.log.at(-1)).toMatch(/holds no \.jsonl files/);
    expect(r.ops).toEqual([]);
  });

  it('refuses a sources path that is a file with exit 66', async () => {
    const r = await attempt(['--sources', `${SOURCES}/bbc.jsonl`, '--staging', STAGING]);
    expect(r.code).toBe(66);
    expect(r.log.at(-1)).toMatch(/is not a folder/);
  });

  it('refuses a source whose name cannot be a folder name with exit 66', async () => {
    const r = await attempt(args(), sampleFiles({ [`${SOURCES}/-odd name.jsonl`]: '' }));
    expect(r.code).toBe(66);
    expect(r.log.at(-1)).toMatch(/the name '-odd name' must be letters, digits/);
    expect(r.ops).toEqual([]);
  });

  it.each([
    ['not JSON', '{"id": "x", "text": ', /line 2 of .*tiktok\.jsonl is not valid JSON/],
    ['without a text', '{"id": "x"}', /line 2 of .*tiktok\.jsonl must be a JSON object with string "id" and "text"/],
    ['a JSON array', '["x", "y"]', /line 2 of .*tiktok\.jsonl must be a JSON object/],
    ['an empty line', '', /line 2 of .*tiktok\.jsonl is not valid JSON/],
  ])('refuses a record that is %s with exit 65, naming its line, before any write', async (_name, line, message) => {
    const r = await attempt(args(), sampleFiles({ [`${SOURCES}/tiktok.jsonl`]: `{"id": "a", "text": "fine"}\n${line}\n{"id": "c", "text": "fine"}\n` }));
    expect(r.code).toBe(65);
    expect(r.log.at(-1)).toMatch(message);
    expect(r.log.at(-1)).toMatch(/fix or remove that line$/);
    expect(r.ops).toEqual([]);
  });

  it('refuses a staging path that is a file with exit 73 before any write', async () => {
    const r = await attempt(args(), sampleFiles({ [STAGING]: 'a file' }));
    expect(r.code).toBe(73);
    expect(r.log.at(-1)).toBe(`Error: Staging ${STAGING} is a file, not a folder; pass a folder path to --staging`);
    expect(r.ops).toEqual([]);
  });

  it('creates a missing staging folder, and stages an empty source as an empty file', async () => {
    const r = await attempt(args(), sampleFiles({ [`${SOURCES}/empty.jsonl`]: '' }));
    expect(r.code).toBe(0);
    expect(r.after.files.get(paths('empty').staged)!.length).toBe(0);
    expect(JSON.parse(r.out).sources.empty).toEqual({ records: 0, staged: 0, dropped: 0, resumed_at: 0, read_this_run: 0 });
  });

  it('reads Windows line endings and a last record without a newline', async () => {
    const r = await attempt(args(), { [`${SOURCES}/crlf.jsonl`]: '{"id":"a","text":"one"}\r\n{"id":"b","text":"two  words"}' });
    expect(r.code).toBe(0);
    expect(r.after.files.get(paths('crlf').staged)!.toString()).toBe(
      '{"source":"crlf","index":0,"id":"a","text":"one","words":1}\n{"source":"crlf","index":1,"id":"b","text":"two words","words":2}\n',
    );
  });
});

// The level's point: output appended as the run goes, its length recorded in the checkpoint,
// and every byte after that length cut on resume. Lines are written once in the end: never
// twice (the cut), never lost (output shorter than recorded is refused).
import { describe, expect, it } from 'vitest';
import { diffSnapshots, runOnVolume, seedVolume, snapshotVolume, volumeFromSnapshot, type ToolRun } from '../../../../test/kit/index.ts';
import { args, outputLines, PATHS, SAMPLE, SAMPLE_LINES, sampleFiles, tool } from './tool.ts';

const reference = (await runOnVolume(tool(), seedVolume(sampleFiles()))).after.files.get(PATHS.output)!;
/** The volume a --simulate-crash after line 6 leaves: checkpoint at line 4, lines 5 and 6 after it. */
const crashedAt6 = (await runOnVolume(tool(args('--simulate-crash', '6')), seedVolume(sampleFiles()))).after;
const saved = JSON.parse(crashedAt6.files.get(PATHS.checkpoint)!.toString());

describe('the output', () => {
  it('holds one JSON line per input line, numbered from 1', () => {
    const lines = outputLines(reference.toString());
    expect(lines.map((l) => l.line)).toEqual(Array.from({ length: SAMPLE_LINES }, (_, i) => i + 1));
    expect(lines.map((l) => l.text)).toEqual(SAMPLE.toString().trimEnd().split('\n'));
  });

  it('is what the checkpoint counts: output_bytes is the length of the lines before input_offset', () => {
    expect(saved.lines_done).toBe(4);
    expect(saved.input_offset).toBe(SAMPLE.toString().split('\n').slice(0, 4).join('\n').length + 1);
    expect(saved.output_bytes).toBe(reference.toString().split('\n').slice(0, 4).join('\n').length + 1);
    expect(crashedAt6.files.get(PATHS.output)!.length).toBeGreaterThan(saved.output_bytes);
  });
});

describe('a resume', () => {
  it('cuts the lines written after the last checkpoint and writes them again, once', async () => {
    const resumed = await runOnVolume(tool(), volumeFromSnapshot(crashedAt6));
    expect(resumed.code).toBe(0);
    const cut = crashedAt6.files.get(PATHS.output)!.length - saved.output_bytes;
    expect(resumed.env.log).toContain(`Cut ${cut} bytes from the end of ${PATHS.output}: written after the last checkpoint, so written again now`);
    expect(resumed.rec.ops.find((op) => op.kind === 'truncate')).toMatchObject({ path: PATHS.output, bytes: saved.output_bytes });
    expect(resumed.after.files.get(PATHS.output)!.equals(reference)).toBe(true);
    expect(JSON.parse(resumed.env.out.join(''))).toMatchObject({ status: 'completed', resumed_from_line: 4, cut_bytes: cut, lines_done: 21 });
  });

  it('cuts half a line left by a torn write', async () => {
    const torn = Buffer.concat([reference.subarray(0, saved.output_bytes), Buffer.from('{"line":5,"wor')]);
    const vol = volumeFromSnapshot(crashedAt6);
    vol.writeFileSync(PATHS.output, torn);
    const resumed = await runOnVolume(tool(), vol);
    expect(resumed.code).toBe(0);
    expect(resumed.after.files.get(PATHS.output)!.equals(reference)).toBe(true);
  });

  it('starts at the checkpoint: it processes only the lines the checkpoint had not counted (G10)', async () => {
    const resumed = await runOnVolume(tool(), volumeFromSnapshot(crashedAt6));
    expect(resumed.env.log[0]).toBe('Resuming from checkpoint at line 4 of 21 (19.0%)');
    const appended = resumed.rec.ops.filter((op) => op.kind === 'write' && op.path === PATHS.output);
    expect(appended).toHaveLength(SAMPLE_LINES - 4);
    expect(appended.reduce((n, op) => n + op.bytes!, 0)).toBe(reference.length - saved.output_bytes);
  });

  it('reads the input once for its fingerprint, then only from the checkpoint on: it seeks, it never re-reads (G10)', async () => {
    let bytesRead = 0;
    const counting: ToolRun = (env) => {
      const fs = new Proxy(env.fs, {
        get: (target, prop) =>
          prop === 'readSync'
            ? (...a: unknown[]) => {
                const n = (target.readSync as (...x: unknown[]) => number)(...a);
                bytesRead += n;
                return n;
              }
            : target[prop as keyof typeof target],
      });
      return tool()({ ...env, fs });
    };
    const resumed = await runOnVolume(counting, volumeFromSnapshot(crashedAt6));
    expect(resumed.code).toBe(0);
    // the fingerprint pass, one byte to check the offset starts a line, then the rest
    expect(bytesRead).toBe(SAMPLE.length + 1 + (SAMPLE.length - saved.input_offset));
  });

  it('refuses output shorter than the checkpoint counts (exit 65), and changes nothing', async () => {
    const vol = volumeFromSnapshot(crashedAt6);
    vol.writeFileSync(PATHS.output, reference.subarray(0, saved.output_bytes - 10));
    const before = snapshotVolume(vol);
    const r = await runOnVolume(tool(), vol);
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toBe(
      `Error: Output ${PATHS.output} holds ${saved.output_bytes - 10} bytes, fewer than the ${saved.output_bytes} checkpoint ${PATHS.checkpoint} counts; restore the output or rerun with --force`,
    );
    expect(diffSnapshots(before, r.after)).toEqual([]);
    expect(r.rec.ops).toEqual([]);
  });

  it('refuses a missing output when the checkpoint counts some of it (exit 65)', async () => {
    const vol = volumeFromSnapshot(crashedAt6);
    vol.unlinkSync(PATHS.output);
    const r = await runOnVolume(tool(), vol);
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toMatch(/Output \/work\/data\/output.jsonl is missing but checkpoint .* counts \d+ bytes of it/);
    expect(r.rec.ops).toEqual([]);
  });

  it('with --force moves the checkpoint aside and writes the output afresh', async () => {
    const vol = volumeFromSnapshot(crashedAt6);
    vol.writeFileSync(PATHS.output, 'short');
    const r = await runOnVolume(tool(args('--force')), vol);
    expect(r.code).toBe(0);
    expect(r.after.files.get(PATHS.output)!.equals(reference)).toBe(true);
    expect(r.after.files.get(`${PATHS.checkpoint}.bak-20261125T120000Z`)!.equals(crashedAt6.files.get(PATHS.checkpoint)!)).toBe(true);
  });
});

describe('a fresh start', () => {
  it('empties an output an earlier run left without a checkpoint, so no line is there twice', async () => {
    // A crash in the first batch, before any checkpoint: lines 1-3 are in the output, nothing counts them.
    const crashed = await runOnVolume(tool(args('--simulate-crash', '3')), seedVolume(sampleFiles()));
    expect(crashed.after.files.has(PATHS.checkpoint)).toBe(false);
    const left = crashed.after.files.get(PATHS.output)!.length;
    expect(left).toBeGreaterThan(0);
    const rerun = await runOnVolume(tool(), volumeFromSnapshot(crashed.after));
    expect(rerun.env.log.slice(0, 2)).toEqual([
      `Starting fresh: 21 lines in ${PATHS.input}, a checkpoint every 4 lines`,
      `Emptied ${PATHS.output}: its ${left} bytes are counted by no checkpoint, so they are written again now`,
    ]);
    expect(rerun.after.files.get(PATHS.output)!.equals(reference)).toBe(true);
    expect(JSON.parse(rerun.env.out.join('')).cut_bytes).toBe(left);
  });

  it('after a completed run writes the same output again, not a second copy', async () => {
    const vol = seedVolume({ ...sampleFiles(), [PATHS.output]: reference });
    const rerun = await runOnVolume(tool(), vol);
    expect(rerun.code).toBe(0);
    expect(rerun.after.files.get(PATHS.output)!.equals(reference)).toBe(true);
  });

  it('never reads a leftover temp file, and removes it (G2)', async () => {
    const vol = seedVolume({ ...sampleFiles(), [PATHS.temp]: '{"input_offset": 99' });
    const r = await runOnVolume(tool(), vol);
    expect(r.code).toBe(0);
    expect(r.env.log[0]).toBe(`Removed a leftover temp file ${PATHS.temp} (a save that never finished; never read)`);
    expect(r.after.files.has(PATHS.temp)).toBe(false);
    expect(r.after.files.get(PATHS.output)!.equals(reference)).toBe(true);
  });

  it('turns an empty input into an empty output', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles('')));
    expect(r.code).toBe(0);
    expect(r.after.files.get(PATHS.output)!.length).toBe(0);
    expect(r.after.files.has(PATHS.checkpoint)).toBe(false);
  });
});

// What memfs cannot show: real worker threads in a real process, killed with a real SIGKILL
// while several of them are mid-batch, interrupted by a real Ctrl+C, and two real processes
// started at once, on the real disk.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as runCliWithDefaults, scratchProject, startCli as startCliWithDefaults, type CliOptions } from '../../../../test/kit/index.ts';
import { PROJECT_DIR } from './tool.ts';
import { expectedOutput, LONG, LONG_ITEMS } from './long-input.ts';

// Each worker thread costs about a quarter of a second of CPU to start (it loads tsx and the
// partition code), so these runs use 3 partitions and few threads.
const RUN = ['--input', 'data/long_input.txt', '--output', 'data/out.json', '--checkpoint', 'data/.checkpoint.json', '--partitions', '3'];
const expected = await expectedOutput(3);

// Generous limits: on a busy shared machine a run that takes 2 s alone can take 20.
const LIMIT = { timeoutMs: 90_000 };
const runCli = (opts: CliOptions) => runCliWithDefaults({ ...LIMIT, ...opts });
const startCli = (opts: CliOptions) => startCliWithDefaults({ ...LIMIT, ...opts });
const TEST_TIMEOUT = 180_000;

const scratches: ReturnType<typeof scratchProject>[] = [];
afterAll(() => scratches.forEach((s) => s.remove()));

/** A fresh copy of the project with the long input, for one test. */
function scratch() {
  const s = scratchProject(PROJECT_DIR);
  scratches.push(s);
  writeFileSync(join(s.dir, 'data/long_input.txt'), LONG);
  const data = join(s.dir, 'data');
  return {
    dir: s.dir,
    output: () => readFileSync(join(data, 'out.json'), 'utf8'),
    /** next_item of each partition's checkpoint (undefined where there is none) */
    progress: () => [0, 1, 2].map((p) => {
      const path = join(data, `.checkpoint.part-${p}.json`);
      return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')).next_item as number) : undefined;
    }),
    leftovers: () => readdirSync(data).filter((name) => name.startsWith('.checkpoint')),
  };
}

/** A small seeded generator, so "random" kill moments are the same on every run of the suite. */
function seeded(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe.concurrent('a real process running real worker threads', () => {
  it('killed by SIGKILL with several workers mid-batch, then at random moments, resumes to byte-identical output', async () => {
    const s = scratch();
    // --simulate-crash counts items over all threads. At item 1000 of 1200, each partition
    // holding 400, every partition has processed more than a batch (two could not reach 1000
    // alone), so all three have saved checkpoints. The thread that processed item 1000 stops
    // mid-batch, so its partition is unfinished; the others carry on until the SIGKILL lands.
    const crashed = await runCli({ cwd: s.dir, args: [...RUN, '--workers', '3', '--batch-size', '10', '--simulate-crash', '1000'] });
    expect(crashed.code).toBe(137);
    expect(crashed.signal).toBe('SIGKILL');
    const saved = s.progress();
    for (const n of saved) expect(n).toBeGreaterThan(0);
    expect(saved.some((n) => n! < 400)).toBe(true);

    // Then a real kill from outside, at a seeded random moment, on another worker count.
    const afterMs = Math.floor(seeded(2026)() * 200);
    await runCli({ cwd: s.dir, args: [...RUN, '--workers', '2', '--batch-size', '10'], signal: { name: 'SIGKILL', when: /^Resuming/m, afterMs } });
    const staleLock = existsSync(join(s.dir, 'data/.checkpoint.json.lock'));
    const manifest = join(s.dir, 'data/.checkpoint.json');
    // Unless the kill landed after the merge (the clean-up removes the partition files), progress
    // never goes back, partition by partition.
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).phase === 'processing') {
      s.progress().forEach((n, p) => expect(n ?? 0).toBeGreaterThanOrEqual(saved[p] ?? 0));
    }

    const resumed = await runCli({ cwd: s.dir, args: [...RUN, '--workers', '1', '--batch-size', '10'] });
    expect(resumed.code).toBe(0);
    // the killed run's lock is taken over (unless the kill came after it had finished)
    if (staleLock) expect(resumed.stderr).toMatch(/which is not running; taking it over/);
    expect(s.output()).toBe(expected);
    expect(s.leftovers()).toEqual([]);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'completed', items: LONG_ITEMS, failed: 1 });
  }, TEST_TIMEOUT);

  it('started twice at once: one run takes the lock, the other exits 75 naming its pid (G8)', async () => {
    const s = scratch();
    // Batch size 1 makes the winner slow (three fsyncs per item), so it certainly still
    // holds the lock when the other one looks; it is stopped once the loser is done.
    const argv = [...RUN, '--workers', '1', '--batch-size', '1'];
    const a = startCli({ cwd: s.dir, args: argv });
    const b = startCli({ cwd: s.dir, args: argv });
    const loser = await Promise.race([a.done.then(() => a), b.done.then(() => b)]);
    const winner = loser === a ? b : a;
    winner.child.kill('SIGKILL');
    await winner.done;
    const refused = await loser.done;
    expect(refused.code).toBe(75);
    expect(refused.stderr.trim()).toBe(`Error: Another run (pid ${winner.child.pid}) holds the lock data/.checkpoint.json.lock; wait for it to finish`);
    // The refused run said one line and wrote nothing: the killed winner's manifest stands.
    expect(JSON.parse(readFileSync(join(s.dir, 'data/.checkpoint.json'), 'utf8')).phase).toBe('processing');
  }, TEST_TIMEOUT);

  it('interrupted by SIGINT: every worker finishes its batch and saves, exit 130, and a rerun completes (G7)', async () => {
    const s = scratch();
    const argv = [...RUN, '--workers', '3', '--batch-size', '3'];
    const interrupted = await runCli({ cwd: s.dir, args: argv, signal: { name: 'SIGINT', when: /Partition 0: checkpoint saved at item 21 / } });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/^Interrupt received: every partition finishes its batch and saves/m);
    expect(interrupted.stderr).toMatch(/^Interrupted: every partition stopped at a saved checkpoint, \d+ of 1200 items done/m);
    expect(JSON.parse(interrupted.stdout).status).toBe('interrupted');
    // Exit 130 means some partition was left unfinished; each one that saved stopped on a
    // batch boundary (or at its end), none part-way through a batch.
    for (const n of s.progress()) if (n !== undefined) expect(n % 3 === 0 || n === 400).toBe(true);
    const resumed = await runCli({ cwd: s.dir, args: [...RUN, '--workers', '1', '--batch-size', '50'] });
    expect(resumed.code).toBe(0);
    expect(s.output()).toBe(expected);
  }, TEST_TIMEOUT);
});

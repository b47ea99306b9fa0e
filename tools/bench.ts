// npm run bench [-- --quick]: what checkpointing costs, measured, never asserted in a test.
// For levels 0, 3 and 4: overhead against the same work with checkpointing off, scaling at
// batch size 3, resume after a crash at 90%, bytes written per item and fsyncs per checkpoint,
// and the floor: the cost of one durable checkpoint on this disk. Prints a table and writes
// reports/bench.json. Runs are real processes on the real disk (node --import tsx).
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { RecordingFs, seedVolume, type SyncFs } from '../test/kit/index.ts';
import { REPO_ROOT } from './lib/projects.ts';
import { run as runProcess } from './lib/processes.ts';
import { withBenchSection, type BenchReport } from './lib/bench-report.ts';

const argv = yargs(process.argv.slice(2))
  .option('quick', { type: 'boolean', default: false, describe: 'smaller inputs and fewer repeats (a smoke test, not figures to quote)' })
  .option('write-docs', { type: 'boolean', default: false, describe: 'also put the figures on docs/concepts/cadence-and-cost.md (and docs/assets/bench.json)' })
  .option('repeats', { type: 'number', describe: 'alternated runs per overhead median (default 3)' })
  .strict()
  .help()
  .parseSync();
const QUICK = argv.quick;
const REPEATS = argv.repeats ?? 3;
const SIZES = QUICK ? [1000, 4000, 16000] : [4000, 16000, 64000];
const SEED_004_16K_SECONDS = 230; // the seed tool at 16,000 items, batch size 3 (SEED-SYSTEMS.md)

interface Subject {
  id: string;
  level: number;
  /** write an input of n items into dir, return its path */
  makeInput: (dir: string, n: number) => Promise<string>;
  /** flags for one run; cadence is the extra flags that set how often it checkpoints */
  args: (input: string, dir: string, cadence: string[]) => string[];
  defaultCadence: string[];
  /** "checkpointing off": one batch holding everything, so only the final save happens */
  off: (n: number) => string[];
  /** extra cadences to compare (label, flags) */
  extraCadences: Array<[string, string[]]>;
  overheadItems: number;
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}: the quick brown fox jumps over ${i % 97} lazy dogs`).join('\n') + '\n';
const project = (id: string) => join(REPO_ROOT, 'projects', id);

const SUBJECTS: Subject[] = [
  {
    id: 'level-0/01-running-sum',
    level: 0,
    makeInput: async (dir, n) => {
      const path = join(dir, `numbers-${n}.txt`);
      await tool('level-0/01-running-sum', ['generate', '--output', path, '--count', String(n), '--seed', '1']);
      return path;
    },
    args: (input, dir, cadence) => ['--input', input, '--output', join(dir, 'sum.json'), '--checkpoint', join(dir, 'checkpoint.json'), ...cadence],
    defaultCadence: [],
    off: (n) => ['--batch-size', String(n)],
    extraCadences: [['--batch-size 100', ['--batch-size', '100']]],
    overheadItems: QUICK ? 100_000 : 1_000_000,
  },
  {
    id: 'level-3/04-exactly-once-output',
    level: 3,
    makeInput: async (dir, n) => {
      const path = join(dir, `input-${n}.txt`);
      writeFileSync(path, lines(n));
      return path;
    },
    args: (input, dir, cadence) => ['--input', input, '--output', join(dir, 'out.jsonl'), '--checkpoint', join(dir, 'cp.json'), ...cadence],
    defaultCadence: [],
    off: (n) => ['--batch-size', String(n)],
    extraCadences: [['--batch-size 10', ['--batch-size', '10']], ['--checkpoint-every-ms 100', ['--checkpoint-every-ms', '100']], ['--checkpoint-every-ms 1000', ['--checkpoint-every-ms', '1000']]],
    overheadItems: QUICK ? 16_000 : 64_000,
  },
  {
    id: 'level-4/05-checkpoint-recovery-tool',
    level: 4,
    makeInput: async (dir, n) => {
      const path = join(dir, `input-${n}.txt`);
      writeFileSync(path, lines(n));
      return path;
    },
    args: (input, dir, cadence) => ['--input', input, '--output', join(dir, 'out.json'), '--checkpoint', join(dir, 'cp.json'), ...cadence],
    defaultCadence: [],
    off: (n) => ['--batch-size', String(n)],
    extraCadences: [['--batch-size 100', ['--batch-size', '100']]],
    overheadItems: QUICK ? 16_000 : 64_000,
  },
];

/** One run of a tool as a real process; returns wall seconds and the exit code. */
async function tool(id: string, args: string[]): Promise<{ seconds: number; code: number; stderr: string }> {
  const t0 = process.hrtime.bigint();
  const r = await runProcess(process.execPath, ['--import', 'tsx', 'project.ts', ...args], { cwd: project(id), timeoutMs: 900_000 });
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, code: r.code, stderr: r.stderr };
}

async function ok(id: string, args: string[]): Promise<number> {
  const r = await tool(id, args);
  if (r.code !== 0) throw new Error(`${id} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim().split('\n').at(-1)}`);
  return r.seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fresh = (dir: string) => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** The floor: one durable checkpoint (temp write, fsync, rename, folder fsync) on this disk. */
function durableCheckpointMs(dir: string, times = QUICK ? 100 : 300): number {
  const samples: number[] = [];
  const dirFd = () => openSync(dir, 'r');
  for (let i = 0; i < times; i++) {
    const t0 = process.hrtime.bigint();
    const fd = openSync(join(dir, 'cp.json.tmp'), 'w');
    writeSync(fd, JSON.stringify({ next_index: i, input_offset: i * 40, staged_bytes: i * 120, schema_version: 1 }));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(join(dir, 'cp.json.tmp'), join(dir, 'cp.json'));
    const d = dirFd();
    fsyncSync(d);
    closeSync(d);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

/** Bytes written per item and fsyncs per checkpoint, counted on the kit's recording file system. */
async function counted(id: string, makeArgs: (input: string) => string[], input: Buffer, items: number) {
  const { main } = (await import(join(project(id), 'src/main.ts'))) as { main: (a: string[], d: unknown) => Promise<number> };
  const rec = new RecordingFs(seedVolume({ '/bench/input.txt': input }));
  const log: string[] = [];
  const code = await main(makeArgs('/bench/input.txt'), {
    fs: rec.fs as SyncFs,
    pid: 1,
    isAlive: () => false,
    now: () => new Date('2026-01-01T00:00:00Z'),
    log: (l: string) => log.push(l),
    out: () => {},
    crash: () => {
      throw new Error('no crash in a bench');
    },
    interrupt: { requested: false },
  });
  if (code !== 0) throw new Error(`${id} in memory exited ${code}: ${log.at(-1)}`);
  const written = rec.ops.filter((o) => ['write', 'writeFile', 'appendFile'].includes(o.kind)).reduce((n, o) => n + (o.bytes ?? 0), 0);
  const fsyncs = rec.ops.filter((o) => o.kind === 'fsync').length;
  const checkpoints = log.filter((l) => /^Checkpoint saved/.test(l)).length;
  return { bytesPerItem: written / items, fsyncsPerCheckpoint: checkpoints ? fsyncs / checkpoints : 0, checkpoints };
}

const work = mkdtempSync(join(REPO_ROOT, 'reports', '.bench-'));
const results: Record<string, unknown> = {};
const targets: string[] = [];
try {
  const floorMs = durableCheckpointMs(fresh(join(work, 'floor')));
  process.stdout.write(`floor: one durable checkpoint (temp write, fsync, rename, folder fsync) = ${floorMs.toFixed(2)} ms (median)\n\n`);
  results.floor_ms = floorMs;

  for (const s of SUBJECTS) {
    const dir = fresh(join(work, s.id.replace('/', '_')));
    const r: Record<string, unknown> = {};
    process.stdout.write(`${s.id}\n`);

    // Overhead: default cadence against "off", alternated, median of REPEATS each.
    const input = await s.makeInput(dir, s.overheadItems);
    const cadences: Array<[string, string[]]> = [['default', s.defaultCadence], ...s.extraCadences];
    const timings = new Map<string, number[]>(cadences.map(([label]) => [label, []]));
    const offTimes: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      offTimes.push(await ok(s.id, s.args(input, fresh(join(dir, 'run')), s.off(s.overheadItems))));
      for (const [label, flags] of cadences) timings.get(label)!.push(await ok(s.id, s.args(input, fresh(join(dir, 'run')), flags)));
    }
    const off = median(offTimes);
    const overhead = Object.fromEntries(cadences.map(([label]) => [label, median(timings.get(label)!) / off]));
    r.overhead = { items: s.overheadItems, off_seconds: off, ratio: overhead, seconds: Object.fromEntries([...timings].map(([k, v]) => [k, median(v)])) };
    for (const [label] of cadences) process.stdout.write(`  overhead at ${label.padEnd(26)} ${overhead[label]!.toFixed(2)}x  (${median(timings.get(label)!).toFixed(2)} s vs ${off.toFixed(2)} s off, ${s.overheadItems} items)\n`);
    if (overhead.default! > 1.25) targets.push(`${s.id}: overhead at the default cadence ${overhead.default!.toFixed(2)}x > 1.25`);

    // Scaling at batch size 3.
    const scaling: Array<{ items: number; seconds: number; ratio?: number }> = [];
    for (const n of SIZES) {
      const inp = await s.makeInput(dir, n);
      const seconds = await ok(s.id, s.args(inp, fresh(join(dir, 'run')), ['--batch-size', '3']));
      const prev = scaling.at(-1);
      scaling.push({ items: n, seconds, ratio: prev ? seconds / prev.seconds : undefined });
      process.stdout.write(`  scaling: ${String(n).padStart(6)} items at batch size 3: ${seconds.toFixed(2)} s${prev ? `  (${(seconds / prev.seconds).toFixed(2)}x for 4x input)` : ''}\n`);
    }
    r.scaling = scaling;
    for (const step of scaling.slice(1)) if (step.ratio! > 4.5) targets.push(`${s.id}: scaling step to ${step.items} items ${step.ratio!.toFixed(2)}x > 4.5x`);
    const at16k = scaling.find((x) => x.items === 16000);
    if (at16k) {
      const speedup = SEED_004_16K_SECONDS / at16k.seconds;
      r.vs_seed_004_at_16k = speedup;
      process.stdout.write(`  16,000 items at batch size 3: ${speedup.toFixed(0)}x faster than the seed 004 tool's ${SEED_004_16K_SECONDS} s\n`);
      if (speedup < 50) targets.push(`${s.id}: 16,000 items at batch size 3 only ${speedup.toFixed(0)}x faster than the seed's 230 s (target 50x)`);
    }
    const per = (scaling.at(-1)!.seconds - off * (scaling.at(-1)!.items / s.overheadItems)) / (scaling.at(-1)!.items / 3);
    r.cost_per_checkpoint_ms = per * 1000;
    process.stdout.write(`  cost per checkpoint at batch size 3: ~${(per * 1000).toFixed(2)} ms (floor ${floorMs.toFixed(2)} ms for one durable checkpoint)\n`);

    // Resume after a crash at 90%, on the largest input at batch size 3, where the work (not
    // the process start-up, the same for both) is what a resume could redo.
    const biggest = SIZES.at(-1)!;
    const bigInput = await s.makeInput(dir, biggest);
    const crashAt = Math.floor(biggest * 0.9);
    const runDir = fresh(join(dir, 'run'));
    const crashed = await tool(s.id, [...s.args(bigInput, runDir, ['--batch-size', '3']), '--simulate-crash', String(crashAt)]);
    if (crashed.code !== 137) throw new Error(`${s.id}: --simulate-crash ${crashAt} exited ${crashed.code}`);
    const resume = await ok(s.id, s.args(bigInput, runDir, ['--batch-size', '3']));
    const full = scaling.at(-1)!.seconds;
    r.resume = { items: biggest, batch_size: 3, crash_at: crashAt, resume_seconds: resume, full_seconds: full, ratio: resume / full };
    process.stdout.write(`  resume after a crash at 90% of ${biggest} items: ${resume.toFixed(2)} s, ${(resume / full).toFixed(2)} of a full run (${full.toFixed(2)} s)\n`);
    if (resume / full > 0.2) targets.push(`${s.id}: resume ${(resume / full).toFixed(2)} of a full run > 0.2`);

    // Bytes per item and fsyncs per checkpoint, in memory, at two sizes: they stay constant.
    const sizes = QUICK ? [1000, 4000] : [4000, 16000];
    const counts = [];
    for (const n of sizes) {
      const text = s.level === 0 ? await numbers(n) : Buffer.from(lines(n));
      counts.push({ items: n, ...(await counted(s.id, (inp) => s.args(inp, '/bench', ['--batch-size', '3']), text, n)) });
    }
    r.per_item = counts;
    for (const c of counts) process.stdout.write(`  at ${c.items} items, batch size 3: ${c.bytesPerItem.toFixed(1)} bytes written per item, ${c.fsyncsPerCheckpoint.toFixed(2)} fsyncs per checkpoint\n`);
    process.stdout.write('\n');
    results[s.id] = r;
  }

  async function numbers(n: number): Promise<Buffer> {
    const path = join(work, `numbers-${n}.txt`);
    await tool('level-0/01-running-sum', ['generate', '--output', path, '--count', String(n), '--seed', '1']);
    return readFileSync(path);
  }

  const report = { version: 1, quick: QUICK, repeats: REPEATS, machine: { cpus: (await import('node:os')).cpus().length, node: process.version, loadavg_at_end: (await import('node:os')).loadavg() }, date: new Date().toISOString(), results, targets_missed: targets };
  writeFileSync(join(REPO_ROOT, 'reports', 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(targets.length ? `targets missed:\n${targets.map((t) => `  - ${t}`).join('\n')}\n` : 'every target met\n');
  process.stdout.write('written to reports/bench.json\n');
  if (argv.writeDocs) {
    const page = join(REPO_ROOT, 'docs', 'concepts', 'cadence-and-cost.md');
    writeFileSync(join(REPO_ROOT, 'docs', 'assets', 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(page, withBenchSection(readFileSync(page, 'utf8'), report as BenchReport));
    process.stdout.write('and to docs/concepts/cadence-and-cost.md (docs/assets/bench.json)\n');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

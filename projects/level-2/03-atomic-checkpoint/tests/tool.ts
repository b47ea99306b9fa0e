// How this project's tests run the tool: main() on the kit's in-memory volume, with a clock
// that ticks one second per call, so every run writes the same bytes (crash states replay
// exactly) and each run still gets a run id of its own.
import { readdirSync, readFileSync } from 'node:fs';
import type { KitEnv, ToolRun } from '../../../../test/kit/index.ts';
import type { Deps } from '../src/deps.ts';
import { main } from '../src/main.ts';

export const PROJECT_DIR = new URL('..', import.meta.url).pathname;
const SAMPLE_DIR = new URL('../data/sample_sources/', import.meta.url);

export const SOURCES = '/work/data/sample_sources';
export const STAGING = '/work/data/staging';

/** The sample sources as the kit seeds them: path -> bytes. */
export const SAMPLE: Record<string, Buffer> = Object.fromEntries(
  readdirSync(SAMPLE_DIR)
    .sort()
    .map((file) => [`${SOURCES}/${file}`, readFileSync(new URL(file, SAMPLE_DIR))]),
);
export const SOURCE_NAMES = Object.keys(SAMPLE).map((p) => p.slice(SOURCES.length + 1, -'.jsonl'.length));
/** records per source, in source order */
export const RECORDS: Record<string, number> = Object.fromEntries(
  Object.entries(SAMPLE).map(([p, b]) => [p.slice(SOURCES.length + 1, -'.jsonl'.length), b.toString().trim().split('\n').length]),
);

export const sampleFiles = (extra: Record<string, string | Buffer> = {}) => ({ ...SAMPLE, ...extra });

export const paths = (source: string) => ({
  dir: `${STAGING}/source=${source}`,
  checkpoint: `${STAGING}/source=${source}/.checkpoint.json`,
  temp: `${STAGING}/source=${source}/.checkpoint.json.tmp`,
  staged: `${STAGING}/source=${source}/records.jsonl`,
});

/** The sample's flags (batch size 4 unless given), plus any extra ones. */
export function args(...extra: string[]): string[] {
  const batch = extra.includes('--batch-size') ? [] : ['--batch-size', '4'];
  return ['--sources', SOURCES, '--staging', STAGING, ...batch, ...extra];
}

/** 2026-11-25T12:00:00Z, one second later on every call. */
export function tickingClock(start = Date.parse('2026-11-25T12:00:00.000Z')): () => Date {
  let t = start;
  return () => new Date((t += 1000) - 1000);
}

export function depsFor(env: KitEnv, interrupt = { requested: false }): Deps {
  return {
    fs: env.fs,
    now: tickingClock(),
    log: (line) => env.log.push(line),
    out: (text) => env.out.push(text),
    crash: env.crash,
    interrupt,
  };
}

/** The tool with these flags, as the kit runs it. */
export function tool(argv: string[] = args()): ToolRun {
  return (env) => main(argv, depsFor(env));
}

/** The JSON summary a run printed on stdout. */
export function summaryOf(env: KitEnv) {
  return JSON.parse(env.out.join('')) as {
    run_id: string;
    status: string;
    sources: Record<string, { records: number; staged: number; dropped: number; resumed_at: number; read_this_run: number }>;
  };
}

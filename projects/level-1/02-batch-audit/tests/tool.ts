// How this project's tests run the tool: main() on the kit's in-memory volume, with a fixed
// clock so every run writes the same bytes and crash states can be replayed exactly.
import { readFileSync } from 'node:fs';
import type { KitEnv, Snapshot, ToolRun } from '../../../../test/kit/index.ts';
import type { Deps } from '../src/deps.ts';
import { main } from '../src/main.ts';

export const PROJECT_DIR = new URL('..', import.meta.url).pathname;
export const SAMPLE = readFileSync(new URL('../data/sample_posts.csv', import.meta.url), 'utf8');
export const SAMPLE_POSTS = 45;

export const PATHS = {
  input: '/work/data/sample_posts.csv',
  output: '/work/data/results.csv',
  checkpoint: '/work/data/checkpoint.txt',
  temp: '/work/data/checkpoint.txt.tmp',
};

export const sampleFiles = (input: string = SAMPLE) => ({ [PATHS.input]: input });

/** The sample's flags (batch size 10 unless given), plus any extra ones. */
export function args(...extra: string[]): string[] {
  const batch = extra.includes('--batch-size') ? [] : ['--batch-size', '10'];
  return ['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', PATHS.checkpoint, ...batch, ...extra];
}

export const CLOCK = new Date('2026-11-25T12:00:00.000Z');

export function depsFor(env: KitEnv): Deps {
  return {
    fs: env.fs,
    now: () => CLOCK,
    log: (line) => env.log.push(line),
    out: (text) => env.out.push(text),
    crash: env.crash,
  };
}

/** The tool with these flags, as the kit runs it. */
export function tool(argv: string[] = args()): ToolRun {
  return (env) => main(argv, depsFor(env));
}

/** A file of a snapshot as text (undefined when it is absent). */
export function fileOf(snap: Snapshot, path: string): string | undefined {
  return snap.files.get(path)?.toString('utf8');
}

/** A posts CSV built from [created_at, text] pairs, ids 1, 2, 3, ... */
export function postsCsv(posts: Array<[string, string]>): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `id,created_at,text\n${posts.map(([date, text], i) => `${i + 1},${date},${quote(text)}\n`).join('')}`;
}

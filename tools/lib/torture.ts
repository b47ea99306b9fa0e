// The torture run (npm run torture): for each project, on the real disk, kill the real tool
// at seeded random moments, resume it, kill it again, until a run finishes; then compare its
// artifacts byte for byte with an uninterrupted run. The same with SIGINT.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratchProject } from '../../test/kit/index.ts';
import type { Project } from './projects.ts';

export interface TortureReport {
  project: string;
  rounds: number;
  kills: number;
  interrupts: number;
  resumes: number;
  divergences: number;
  lost: number;
  duplicated: number;
  /** one line per divergence: the round, the signal, what differed */
  problems: string[];
  /** rounds where a signal landed after the run had finished its work (not divergences) */
  notes: string[];
  ms: number;
}

/** A small seeded generator (a linear congruential one): the same seed gives the same kill moments. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

/** Lines of the reference missing from the result (lost), and lines the result has more often (duplicated). */
export function lineDiff(reference: string, result: string): { lost: number; duplicated: number } {
  const count = (text: string) => {
    const m = new Map<string, number>();
    for (const line of text.split('\n')) m.set(line, (m.get(line) ?? 0) + 1);
    return m;
  };
  const want = count(reference);
  const got = count(result);
  let lost = 0;
  let duplicated = 0;
  for (const [line, n] of want) lost += Math.max(0, n - (got.get(line) ?? 0));
  for (const [line, n] of got) duplicated += Math.max(0, n - (want.get(line) ?? 0));
  return { lost, duplicated };
}

const MAX_RUNS_PER_ROUND = 30;

/**
 * A signal can land after the run has done all its work and printed its JSON summary, in the
 * moment before the process exits: the run finished, and its exit code is the signal's. A rerun
 * would not be a resume (level 1, for one, refuses to append to a finished results file).
 */
function finishedBeforeTheSignal(r: { code: number; stdout: string }): boolean {
  if (r.code !== 137 && r.code !== 130) return false;
  try {
    const summary = JSON.parse(r.stdout.trim()) as { status?: unknown };
    return typeof summary === 'object' && summary !== null && summary.status !== 'interrupted';
  } catch {
    return false;
  }
}

export async function torture(project: Project, rounds: number, seed: number): Promise<TortureReport> {
  const started = Date.now();
  const random = seeded(seed + project.manifest.level * 7919);
  const report: TortureReport = { project: project.id, rounds, kills: 0, interrupts: 0, resumes: 0, divergences: 0, lost: 0, duplicated: 0, problems: [], notes: [], ms: 0 };
  const args = project.manifest.run;
  const read = (dir: string) => project.manifest.artifacts.map((a) => (existsSync(join(dir, a)) ? readFileSync(join(dir, a), 'utf8') : '<missing>')).join('\n--\n');

  // The reference: one uninterrupted run, and how long it takes (start-up included), which is
  // the window the kill moments are drawn from.
  const ref = scratchProject(project.dir);
  let reference: string;
  let workMs: number;
  try {
    const t0 = Date.now();
    const clean = await runCli({ cwd: ref.dir, args, timeoutMs: 120_000 });
    if (clean.code !== 0) throw new Error(`${project.id}: the uninterrupted run exited ${clean.code}: ${clean.stderr.trim().split('\n').at(-1)}`);
    workMs = Math.max(50, Date.now() - t0);
    reference = read(ref.dir);
  } finally {
    ref.remove();
  }

  for (let round = 0; round < rounds; round++) {
    const signal: NodeJS.Signals = round % 2 === 0 ? 'SIGKILL' : 'SIGINT';
    const scratch = scratchProject(project.dir);
    try {
      let finished = false;
      for (let attempt = 0; attempt < MAX_RUNS_PER_ROUND && !finished; attempt++) {
        // A random moment within the run; the window grows each time, so a run always ends up finishing.
        const afterMs = Math.floor(random() * workMs * (1 + attempt * 0.5));
        const r = await runCli({ cwd: scratch.dir, args, signal: { name: signal, afterMs }, timeoutMs: 120_000 });
        if (attempt > 0) report.resumes++;
        if (r.code === 0 || finishedBeforeTheSignal(r)) finished = true;
        else if (r.code === 137 && signal === 'SIGKILL') report.kills++;
        else if (r.code === 130 && signal === 'SIGINT') report.interrupts++;
        else if (attempt > 0 && r.code !== 1 && read(scratch.dir) === reference) {
          // The signal before landed after the run had done all its work but before it printed
          // its summary, and this rerun refused to redo a finished job (level 1 will not append
          // to finished results). The artifacts are whole: nothing lost, nothing twice.
          finished = true;
          report.notes.push(`round ${round} (${signal}) run ${attempt}: the run before had finished when the signal landed; this one exited ${r.code}: ${r.stderr.trim().split('\n').at(-1)}`);
        } else {
          report.divergences++;
          report.problems.push(`round ${round} (${signal}) run ${attempt}: exit ${r.code}: ${r.stderr.trim().split('\n').at(-1)}`);
          break;
        }
      }
      if (!finished) {
        if (report.problems.at(-1)?.startsWith(`round ${round} `) !== true) {
          report.divergences++;
          report.problems.push(`round ${round} (${signal}): no run finished in ${MAX_RUNS_PER_ROUND} attempts`);
        }
        continue;
      }
      const result = read(scratch.dir);
      if (result !== reference) {
        const diff = lineDiff(reference, result);
        report.divergences++;
        report.lost += diff.lost;
        report.duplicated += diff.duplicated;
        report.problems.push(`round ${round} (${signal}): artifacts differ (${diff.lost} lines lost, ${diff.duplicated} duplicated)`);
      }
    } finally {
      scratch.remove();
    }
  }
  report.ms = Date.now() - started;
  return report;
}

export function tortureTable(reports: TortureReport[]): string {
  const head = ['project', 'rounds', 'SIGKILLs', 'SIGINTs', 'resumes', 'divergences', 'lost items', 'duplicated items', 'seconds'];
  const rows = reports.map((r) => [r.project, r.rounds, r.kills, r.interrupts, r.resumes, r.divergences, r.lost, r.duplicated, (r.ms / 1000).toFixed(1)].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

// The benchmark figures as the docs show them: rendered from the JSON `npm run bench` writes,
// so the cadence-and-cost page can only ever quote a measured run (a repo test checks it).

interface Overhead {
  items: number;
  off_seconds: number;
  ratio: Record<string, number>;
  seconds: Record<string, number>;
}
interface Scaling {
  items: number;
  seconds: number;
  ratio?: number;
}
interface Counted {
  items: number;
  bytesPerItem: number;
  fsyncsPerCheckpoint: number;
}
interface Subject {
  overhead: Overhead;
  scaling: Scaling[];
  vs_seed_004_at_16k?: number;
  cost_per_checkpoint_ms: number;
  resume: { items: number; crash_at: number; resume_seconds: number; full_seconds: number; ratio: number };
  per_item: Counted[];
}
export interface BenchReport {
  version: 1;
  quick: boolean;
  repeats: number;
  date: string;
  machine: { cpus: number; node: string; loadavg_at_end: number[] };
  results: Record<string, Subject | number>;
  targets_missed: string[];
}

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

const x = (n: number) => `${n.toFixed(2)}x`;
const s = (n: number) => `${n.toFixed(2)} s`;

export function renderBench(report: BenchReport): string {
  const out: string[] = [];
  const subjects = Object.entries(report.results).filter((e): e is [string, Subject] => typeof e[1] === 'object');
  out.push(
    `Measured by \`npm run bench\` on ${report.date.slice(0, 10)}: ${report.machine.cpus} cores, Node ${report.machine.node}, ` +
      `load average ${report.machine.loadavg_at_end.map((l) => l.toFixed(1)).join(' / ')} at the end (a shared machine), ` +
      `median of ${report.repeats} alternated runs for the overheads. Real processes on the real disk. Reproduce with \`npm run bench\`.`,
    '',
    `The floor, one durable checkpoint (temp write, fsync, rename, fsync of the folder) on this disk: **${(report.results.floor_ms as number).toFixed(2)} ms**.`,
    '',
    '| project | overhead at the default cadence | other cadences | scaling at batch size 3 (4x input each step) | 16,000 items vs seed 004 (230 s) | resume after a crash at 90% | bytes written per item | fsyncs per checkpoint |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const [id, r] of subjects) {
    const others = Object.entries(r.overhead.ratio)
      .filter(([label]) => label !== 'default')
      .map(([label, ratio]) => `\`${label}\`: ${x(ratio)}`)
      .join('<br>');
    const scaling = r.scaling.map((st) => `${st.items}: ${s(st.seconds)}${st.ratio ? ` (${x(st.ratio)})` : ''}`).join('<br>');
    out.push(
      `| ${id} | ${x(r.overhead.ratio.default!)} (${r.overhead.items} items) | ${others} | ${scaling} | ${r.vs_seed_004_at_16k ? `${r.vs_seed_004_at_16k.toFixed(0)}x faster` : 'n/a'} | ${r.resume.ratio.toFixed(2)} of a full run (${s(r.resume.resume_seconds)} of ${s(r.resume.full_seconds)}, ${r.resume.items} items) | ${r.per_item.map((c) => `${c.bytesPerItem.toFixed(0)} at ${c.items}`).join(', ')} | ${r.per_item.map((c) => c.fsyncsPerCheckpoint.toFixed(2)).join(', ')} |`,
    );
  }
  out.push('', report.targets_missed.length ? 'Targets this run missed:' : 'Every target was met in this run.');
  for (const t of report.targets_missed) out.push(`- ${t}`);
  return out.join('\n');
}

/** The page with its marked section replaced by the rendering of `report`. */
export function withBenchSection(page: string, report: BenchReport): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`the page has no ${START} ... ${END} section`);
  return `${page.slice(0, start + START.length)}\n\n${renderBench(report)}\n\n${page.slice(end)}`;
}

// The cadence-and-cost page quotes only measured figures: its bench section is exactly the
// rendering of the committed report of an `npm run bench -- --write-docs` run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { END, renderBench, START, type BenchReport } from '../tools/lib/bench-report.ts';
import { REPO_ROOT } from './kit/index.ts';

const page = readFileSync(join(REPO_ROOT, 'docs/concepts/cadence-and-cost.md'), 'utf8');
const reportPath = join(REPO_ROOT, 'docs/assets/bench.json');

describe('the cadence-and-cost page', () => {
  it('shows the figures of the committed bench report, and nothing else, between its markers', () => {
    expect(existsSync(reportPath), 'docs/assets/bench.json, from npm run bench -- --write-docs').toBe(true);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as BenchReport;
    expect(report.quick, 'figures from a full run, not --quick').toBe(false);
    const section = page.slice(page.indexOf(START) + START.length, page.indexOf(END)).trim();
    expect(section).toBe(renderBench(report));
  });
});

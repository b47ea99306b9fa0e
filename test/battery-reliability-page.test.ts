// docs/reliability.md names, for each guarantee and each project, the tests that prove it.
// This keeps the page true: every file it names exists and holds the test it names, and every
// project appears under every guarantee (with a test, or with a dash and the reason).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverProjects, REPO_ROOT } from '../tools/lib/projects.ts';

const PAGE = readFileSync(join(REPO_ROOT, 'docs', 'reliability.md'), 'utf8');
const projects = discoverProjects();
const GUARANTEES = ['G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9', 'G10'];

interface Row {
  guarantee: string;
  who: string;
  file: string | undefined;
  names: string[];
  line: string;
}

/** The table rows of the page, each under the `## Gn` heading it sits in (or '' before the first). */
function rows(): Row[] {
  const out: Row[] = [];
  let guarantee = '';
  for (const line of PAGE.split('\n')) {
    const heading = /^## (G\d+) /.exec(line);
    if (heading) guarantee = heading[1]!;
    else if (line.startsWith('## ')) guarantee = '';
    const cells = /^\| ([^|]+?) \| (.+) \|$/.exec(line);
    if (!cells || /^-+$|^project$|^where$/.test(cells[1]!)) continue;
    const file = /`((?:tests|test)\/[^`]+\.test\.ts)`/.exec(cells[2]!)?.[1];
    out.push({ guarantee, who: cells[1]!, file, names: [...cells[2]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!), line });
  }
  return out;
}

describe('the reliability page', () => {
  it('has a section for each of G1-G10', () => {
    for (const g of GUARANTEES) expect(PAGE).toMatch(new RegExp(`^## ${g} `, 'm'));
  });

  it('names test files that exist, each holding the test named beside it', () => {
    const named = rows().filter((r) => r.file);
    expect(named.length).toBeGreaterThan(60);
    for (const r of named) {
      const project = projects.find((p) => p.id === r.who);
      const path = project ? join(project.dir, r.file!) : join(REPO_ROOT, r.file!);
      expect(existsSync(path), r.line).toBe(true);
      const source = readFileSync(path, 'utf8').replace(/\\(['"])/g, '$1'); // a name quoted in code: \' reads as '
      expect(r.names.length, r.line).toBeGreaterThan(0);
      // `…` stands for what the test fills in when it runs: every piece around it is in the source
      for (const name of r.names) for (const piece of name.split('…').map((s) => s.trim()).filter(Boolean)) expect(source, `${r.file}: ${piece}`).toContain(piece);
    }
  });

  it('lists every project under every guarantee, with a test or with the reason it has none', () => {
    const all = rows();
    for (const g of GUARANTEES) {
      for (const p of projects) {
        const mine = all.filter((r) => r.guarantee === g && r.who === p.id);
        expect(mine.length, `${g} ${p.id}`).toBeGreaterThan(0);
        for (const r of mine) expect(r.file !== undefined || /\| — \|/.test(r.line), r.line).toBe(true);
      }
    }
  });

  it('shows the figures of a torture run, with the command that made them', () => {
    const figures = /<!-- torture-figures -->([\s\S]*)<!-- \/torture-figures -->/.exec(PAGE)?.[1] ?? '';
    expect(figures).toContain('npm run torture -- --rounds');
    for (const p of projects) expect(figures, p.id).toContain(p.id);
  });
});

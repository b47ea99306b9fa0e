// The grade as a terminal table, as Markdown (reports/grade.md, the CI job summary) and as
// JUnit XML (one test case per rubric item, for any CI that shows test results).
import { fmt, type GradeReport, type Part, type ProjectGrade } from './rubric.ts';

const PARTS = ['tests', 'strength', 'exercises', 'teachBack'] as const;
const LABELS: Record<(typeof PARTS)[number], string> = { tests: 'tests', strength: 'strength', exercises: 'exercises', teachBack: 'teach-back' };

const cell = (p: Part) => (p.max === 0 ? '-' : `${fmt(p.points)}/${fmt(p.max)}`);

export function renderTable(report: GradeReport): string {
  const header = ['project', ...PARTS.map((p) => LABELS[p]), 'total'];
  const rows = report.projects.map((p) => [p.id, ...PARTS.map((k) => cell(p[k])), `${fmt(p.points)}/${fmt(p.max)}`]);
  rows.push(['total', '', '', '', '', `${fmt(report.points)}/${fmt(report.max)} (${fmt(report.percent)}%)`]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(0, -1).map(line), widths.map((w) => '-'.repeat(w)).join('  '), line(rows.at(-1)!)];
  const lost = report.projects.filter((p) => PARTS.some((k) => p[k].lost.length > 0));
  if (lost.length > 0) {
    out.push('', 'Points lost:');
    for (const p of lost) {
      out.push(`  ${p.id}`);
      for (const k of PARTS) {
        const part = p[k];
        if (part.lost.length === 0) continue;
        out.push(`    ${LABELS[k]} -${fmt(part.max - part.points)}:`);
        for (const reason of part.lost) out.push(`      ${reason}`);
      }
    }
  }
  out.push(...tamperingLines(report).map((l, i) => (i === 0 ? `\n${l}` : `  ${l}`)));
  return out.join('\n');
}

function tamperingLines(report: GradeReport): string[] {
  const t = report.tampering;
  if (!t.checked) return ['Course files: no checksum list (tools/course-files.json) to check them against.'];
  const lines = [
    ...t.changed.map((f) => `changed: ${f}`),
    ...t.missing.map((f) => `deleted: ${f}`),
    ...t.added.map((f) => `added:   ${f}`),
  ];
  if (lines.length === 0) return [];
  return ['TAMPERING: course files differ from the checksum list the course shipped (review these by hand):', ...lines];
}

const esc = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(report: GradeReport): string {
  const out: string[] = [];
  out.push(`# Crash Course grade: ${fmt(report.points)} / ${fmt(report.max)} (${fmt(report.percent)}%)`, '');
  if (report.commit) out.push(`Commit \`${report.commit}\`, graded ${report.generatedAt}.`, '');
  const tamper = tamperingLines(report);
  if (tamper.length > 0) out.push(`> **${tamper[0]}**`, '>', ...tamper.slice(1).map((l) => `> - \`${l}\``), '');
  out.push(`| project | ${PARTS.map((k) => LABELS[k]).join(' | ')} | total |`, `|---|${PARTS.map(() => '---:').join('|')}|---:|`);
  for (const p of report.projects) out.push(`| ${p.id} | ${PARTS.map((k) => cell(p[k])).join(' | ')} | **${fmt(p.points)}/${fmt(p.max)}** |`);
  out.push(`| **total** | | | | | **${fmt(report.points)}/${fmt(report.max)}** |`, '');
  for (const p of report.projects) out.push(...projectMarkdown(p));
  out.push(
    `Rubric per project: tests ${report.rubric.tests}, strength ${report.rubric.strength}, exercises ${report.rubric.exercises}, teach-back ${report.rubric.teachBack}; an answer counts from ${report.minWords} words.`,
    '',
  );
  return out.join('\n');
}

function projectMarkdown(p: ProjectGrade): string[] {
  const out = [`## ${p.id}: ${fmt(p.points)}/${fmt(p.max)}`, ''];
  for (const k of PARTS) {
    const part = p[k];
    if (part.lost.length === 0) continue;
    out.push(`**${LABELS[k]}** lost ${fmt(part.max - part.points)}:`, '', ...part.lost.map((r) => `- ${esc(r)}`), '');
  }
  if (p.strength.breaks.length > 0) {
    out.push('| break | caught by |', '|---|---|');
    for (const b of p.strength.breaks) out.push(`| ${b.name} | ${b.caught ? esc(b.caughtBy[0] ?? 'yes') : b.applied ? '**survived**' : 'not applied'} |`);
    out.push('');
  }
  const given = p.teachBack.answers.filter((a) => a.text.trim());
  if (given.length > 0) {
    out.push('<details><summary>Teach-back answers, for the instructor to read</summary>', '');
    for (const a of p.teachBack.answers) {
      out.push(`#### ${a.question}`, '', `*${a.answered ? `counted, ${a.words} words` : a.reason}*`, '', a.text.trim() ? quote(a.text) : '> (no answer)', '');
    }
    out.push('</details>', '');
  }
  return out;
}

function quote(text: string): string {
  return text.trim().split('\n').map((l) => `> ${l}`).join('\n');
}

const xml = (text: string) =>
  text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderJunit(report: GradeReport): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const p of report.projects) {
    const cases: string[] = [];
    const add = (name: string, ok: boolean, why = '') => {
      tests++;
      if (!ok) failures++;
      cases.push(
        ok
          ? `    <testcase classname="${xml(p.id)}" name="${xml(name)}"/>`
          : `    <testcase classname="${xml(p.id)}" name="${xml(name)}">\n      <failure message="${xml(why.split('\n')[0]!.slice(0, 300))}">${xml(why)}</failure>\n    </testcase>`,
      );
    };
    add(`tests: the suite passes (${fmt(p.tests.points)}/${fmt(p.tests.max)})`, p.tests.lost.length === 0, p.tests.lost.join('\n'));
    for (const b of p.strength.breaks) {
      add(`strength: break ${b.name} is caught`, b.caught, b.applied ? 'survived: every test passed with it applied' : 'could not be applied to this code');
    }
    for (const e of p.exercises.items) add(`exercises: ${e.name} passes`, e.passed, e.failures.join('\n'));
    for (const a of p.teachBack.answers) add(`teach-back: ${a.question}`, a.answered, a.reason ?? '');
    const failed = cases.filter((c) => c.includes('<failure')).length;
    suites.push(`  <testsuite name="${xml(`${p.id} (${fmt(p.points)}/${fmt(p.max)})`)}" tests="${cases.length}" failures="${failed}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  const t = report.tampering;
  const changed = [...t.changed, ...t.missing, ...t.added];
  if (changed.length > 0) {
    tests++;
    failures++;
    suites.push(
      `  <testsuite name="course files" tests="1" failures="1">\n    <testcase classname="course-files" name="the course's own files are as shipped">\n      <failure message="${changed.length} course files differ">${xml(changed.join('\n'))}</failure>\n    </testcase>\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="crash-course grade ${fmt(report.points)}/${fmt(report.max)}" tests="${tests}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}

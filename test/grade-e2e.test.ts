// The grader and the course CLI on the real course, each on a scratch copy. Slow (the grader
// runs every suite, every break and every exercise spec), so `npm test` skips it; CI runs it:
//   COURSE_E2E=1 npx vitest run --project repo test/grade-e2e.test.ts
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listBreaks, listSolutions } from '../tools/lib/catalogue.ts';
import { applyPatchesTogether } from '../tools/lib/git-apply.ts';
import { parseTeachBack } from '../tools/lib/notes.ts';
import { discoverProjects, REPO_ROOT } from '../tools/lib/projects.ts';
import type { GradeReport } from '../tools/lib/rubric.ts';
import { makeGitScratch, makeScratch, projectScope, scratchGitEnv, type Scratch } from '../tools/lib/scratch.ts';
import { runVitest } from '../tools/lib/vitest-run.ts';

const enabled = process.env.COURSE_E2E === '1';
const LONG = 40 * 60_000;
const MODEL = 'level-4/05-checkpoint-recovery-tool';

const scratches: Scratch[] = [];
afterEach(() => {
  for (const s of scratches.splice(0)) s.remove();
});
const scratch = (git = true) => {
  const s = git ? makeGitScratch(REPO_ROOT) : makeScratch(REPO_ROOT, () => true);
  scratches.push(s);
  return s;
};

function tool(dir: string, script: string, args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, script), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...scratchGitEnv(dir), FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

function grade(dir: string, ...args: string[]): { code: number; stdout: string; report: GradeReport } {
  const r = tool(dir, 'tools/grade.ts', ['--quiet', ...args]);
  return { code: r.code, stdout: r.stdout, report: JSON.parse(readFileSync(join(dir, 'reports', 'grade.json'), 'utf8')) as GradeReport };
}

const gitStatus = (dir: string) => execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8', env: scratchGitEnv(dir) });

describe.skipIf(!enabled)('npm run grade on the real course (COURSE_E2E=1)', () => {
  it(
    'gives the baseline full tests and strength points, zero exercises and teach-back, and no tampering',
    () => {
      const s = scratch();
      const started = Date.now();
      const { code, stdout, report } = grade(s.dir);
      console.log(`baseline grade of ${report.projects.length} projects took ${Math.round((Date.now() - started) / 1000)} s\n${stdout}`);
      expect(code).toBe(0);
      expect(report.tampering).toEqual({ changed: [], missing: [], added: [], checked: true });
      for (const p of report.projects) {
        expect({ id: p.id, tests: p.tests.lost, strength: p.strength.lost }).toEqual({ id: p.id, tests: [], strength: [] });
        expect([p.tests.points, p.strength.points, p.exercises.points, p.teachBack.points]).toEqual([p.tests.max, p.strength.max, 0, 0]);
      }
    },
    LONG,
  );

  it(
    'gives full marks with every solution patch applied and every notes.md question answered',
    () => {
      const s = scratch();
      for (const project of discoverProjects(s.dir)) {
        const together = applyPatchesTogether(s.dir, listSolutions(project).map((p) => p.path));
        expect(together, project.id).toEqual({ ok: true, message: '' });
        const notes = join(project.dir, 'notes.md');
        let text = readFileSync(notes, 'utf8');
        for (const q of parseTeachBack(text)) {
          const answer = `Answering "${q.heading}": the checkpoint is written to a temp file, fsynced and renamed, so a crash leaves the old or the new version and never half of one; on resume the tool reads it, checks it belongs to this input, and carries on from the saved position without redoing or losing work.`;
          text = text.replace(q.body, answer);
        }
        writeFileSync(notes, text);
      }
      const { code, stdout, report } = grade(s.dir);
      console.log(stdout);
      expect(code).toBe(0);
      for (const p of report.projects) {
        const lost = [p.tests, p.strength, p.exercises, p.teachBack].flatMap((part) => part.lost);
        expect({ id: p.id, lost }).toEqual({ id: p.id, lost: [] });
        expect(p.points).toBe(p.max);
      }
      expect(report.points).toBe(report.max);
    },
    LONG,
  );

  it(
    'takes strength points from a learner who deletes a test file, and reports a corrupted break file as tampering',
    async () => {
      const model = discoverProjects(REPO_ROOT).find((p) => p.id === MODEL)!;
      // find a break that only one test file catches: deleting that file lets it survive
      let chosen: { breakName: string; file: string } | undefined;
      for (const b of listBreaks(model)) {
        const probe = makeScratch(REPO_ROOT, projectScope([model.rel]));
        try {
          execFileSync('git', ['apply', join(probe.dir, b.rel)], { cwd: probe.dir, env: scratchGitEnv(probe.dir) });
          const result = await runVitest({ dir: probe.dir, project: model.id });
          const files = [...new Set(result.tests.filter((t) => t.status === 'failed').map((t) => t.file))];
          if (files.length === 1) chosen = { breakName: b.name, file: files[0]! };
        } finally {
          probe.remove();
        }
        if (chosen) break;
      }
      expect(chosen, 'no break of the model project is caught by a single test file').toBeDefined();

      const s = scratch();
      rmSync(join(s.dir, model.rel, chosen!.file));
      const corrupted = listBreaks(model).find((b) => b.name !== chosen!.breakName) ?? listBreaks(model)[0]!;
      const breakPath = join(s.dir, corrupted.rel);
      writeFileSync(breakPath, readFileSync(breakPath, 'utf8').replace(/^Break: .*$/m, 'Break: nothing to see here'));

      const { code, stdout, report } = grade(s.dir, 'level-4');
      console.log(stdout);
      expect(code).toBe(1);
      const p = report.projects[0]!;
      // the chosen break, or another that only the deleted file caught, now survives
      expect(p.strength.points).toBeLessThan(p.strength.max);
      expect(p.strength.lost.join('\n')).toMatch(/^break \S+ survived: every test passed with it applied/m);
      expect(report.tampering.changed).toEqual([corrupted.rel]);
      expect(stdout).toContain(`changed: ${corrupted.rel}`);
    },
    LONG,
  );
});

describe.skipIf(!enabled)('npm run course -- break on the model project (COURSE_E2E=1)', () => {
  it(
    'makes the run command give each data break\'s documented exit code and message, and --undo leaves git status clean',
    () => {
      const s = scratch();
      const model = discoverProjects(s.dir).find((p) => p.id === MODEL)!;
      const dataBreaks = model.manifest.dataBreaks ?? [];
      expect(dataBreaks.map((d) => d.name)).toEqual(
        expect.arrayContaining(['not-json', 'empty', 'wrong-type', 'negative-offset', 'offset-past-end', 'newer-schema', 'foreign-input', 'leftover-temp', 'crash-mid-write']),
      );
      for (const d of dataBreaks) {
        const applied = tool(s.dir, 'tools/course.ts', ['break', 'level-4', d.name]);
        expect(applied.code, applied.stderr).toBe(0);
        expect(applied.stdout).toContain(`exit code ${d.expect.code}`);
        const run = spawnSync(process.execPath, ['--import', 'tsx', 'project.ts', ...model.manifest.run], { cwd: model.dir, encoding: 'utf8' });
        expect({ name: d.name, code: run.status }).toEqual({ name: d.name, code: d.expect.code });
        expect(run.stderr).toContain(d.expect.message);
        const undone = tool(s.dir, 'tools/course.ts', ['break', 'level-4', d.name, '--undo']);
        expect(undone.code, undone.stderr).toBe(0);
        expect(gitStatus(s.dir), d.name).toBe('');
      }
    },
    LONG,
  );
});

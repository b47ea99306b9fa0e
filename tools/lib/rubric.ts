// The rubric of COURSE.md section 9, from the measurements: points per part, and a line for
// every point lost saying why. This is also the shape of reports/grade.json (version 1),
// documented in docs/instructors.md.
import type { Rubric } from './config.ts';
import type { Tampering } from './course-files.ts';
import type { ProjectMeasure } from './measure.ts';
import type { Answer } from './notes.ts';
import { failureNames, isGreen } from './vitest-run.ts';

export const GRADE_SCHEMA = 'crash-course-grade';
export const GRADE_VERSION = 1;

export interface Part {
  points: number;
  max: number;
  /** one line per reason points were lost */
  lost: string[];
}

export interface TestsPart extends Part {
  passed: number;
  failed: number;
  failures: string[];
}

export interface StrengthPart extends Part {
  caught: number;
  total: number;
  breaks: Array<{ name: string; title: string; applied: boolean; fuzzy: boolean; caught: boolean; caughtBy: string[] }>;
}

export interface ExercisesPart extends Part {
  passed: number;
  total: number;
  items: Array<{ name: string; passed: boolean; failures: string[] }>;
}

export interface TeachBackPart extends Part {
  answered: number;
  total: number;
  answers: Answer[];
}

export interface ProjectGrade {
  id: string;
  title: string;
  level: number;
  points: number;
  max: number;
  tests: TestsPart;
  strength: StrengthPart;
  exercises: ExercisesPart;
  teachBack: TeachBackPart;
}

export interface GradeReport {
  schema: typeof GRADE_SCHEMA;
  version: typeof GRADE_VERSION;
  generatedAt: string;
  /** the commit graded, when the tree is a git clone */
  commit?: string;
  rubric: Rubric;
  minWords: number;
  points: number;
  max: number;
  percent: number;
  /** the course's own files that differ from the shipped checksum list */
  tampering: Tampering & { checked: boolean };
  projects: ProjectGrade[];
}

export const round = (n: number) => Math.round(n * 100) / 100;

/** "12.5" or "40": points as a person writes them. */
export const fmt = (n: number) => String(round(n));

function share(max: number, got: number, of: number): number {
  return of === 0 ? 0 : round((max * got) / of);
}

export function gradeProject(m: ProjectMeasure, rubric: Rubric): ProjectGrade {
  // tests: the share of the suite's tests that pass; nothing if it did not run
  const failures = m.suite.ran ? failureNames(m.suite) : [];
  const testCount = m.suite.passed + m.suite.failed + m.suite.brokenFiles.length;
  const tests: TestsPart = {
    points: isGreen(m.suite) ? rubric.tests : share(rubric.tests, m.suite.passed, testCount),
    max: rubric.tests,
    passed: m.suite.passed,
    failed: m.suite.failed + m.suite.brokenFiles.length,
    failures,
    lost: [],
  };
  if (!m.suite.ran) tests.lost.push(m.suite.timedOut ? 'the suite timed out' : `the suite did not run: ${m.suite.error ?? 'no report'}`);
  else if (testCount === 0) tests.lost.push('the suite has no tests');
  else for (const f of failures) tests.lost.push(`fails: ${f}${messageOf(m, f)}`);

  const caught = m.breaks.filter((b) => b.caught).length;
  const strength: StrengthPart = {
    points: share(rubric.strength, caught, m.breaks.length),
    max: m.breaks.length === 0 ? 0 : rubric.strength,
    caught,
    total: m.breaks.length,
    breaks: m.breaks.map((b) => ({ name: b.name, title: b.title, applied: b.applied, fuzzy: b.fuzzy, caught: b.caught, caughtBy: b.caughtBy })),
    lost: [],
  };
  for (const b of m.breaks.filter((x) => !x.caught)) {
    strength.lost.push(
      b.applied
        ? `break ${b.name} survived: every test passed with it applied (${b.title})`
        : `break ${b.name} could not be applied to this code, so it could not be checked: ${b.applyMessage ?? ''}`,
    );
  }

  const passedExercises = m.exercises.filter((e) => e.passed).length;
  const exercises: ExercisesPart = {
    points: share(rubric.exercises, passedExercises, m.exercises.length),
    max: m.exercises.length === 0 ? 0 : rubric.exercises,
    passed: passedExercises,
    total: m.exercises.length,
    items: m.exercises.map((e) => ({ name: e.name, passed: e.passed, failures: e.failures })),
    lost: m.exercises.filter((e) => !e.passed).map((e) => `exercise ${e.name} fails: ${e.failures[0] ?? ''}${e.failures.length > 1 ? ` (and ${e.failures.length - 1} more)` : ''}`),
  };

  const answered = m.answers.filter((a) => a.answered).length;
  const teachBack: TeachBackPart = {
    points: share(rubric.teachBack, answered, m.answers.length),
    max: m.answers.length === 0 ? 0 : rubric.teachBack,
    answered,
    total: m.answers.length,
    answers: m.answers,
    lost: m.answers.filter((a) => !a.answered).map((a) => `"${a.question}": ${a.reason}`),
  };

  const parts = [tests, strength, exercises, teachBack];
  return {
    id: m.id,
    title: m.title,
    level: m.level,
    points: round(parts.reduce((s, p) => s + p.points, 0)),
    max: round(parts.reduce((s, p) => s + p.max, 0)),
    tests,
    strength,
    exercises,
    teachBack,
  };
}

function messageOf(m: ProjectMeasure, failure: string): string {
  const test = m.suite.tests.find((t) => t.status === 'failed' && `${t.file} › ${t.name}` === failure);
  return test?.message ? ` (${test.message})` : '';
}

export function gradeReport(
  measures: ProjectMeasure[],
  rubric: Rubric,
  minWords: number,
  tampering: Tampering & { checked: boolean },
  commit?: string,
): GradeReport {
  const projects = measures.map((m) => gradeProject(m, rubric));
  const points = round(projects.reduce((s, p) => s + p.points, 0));
  const max = round(projects.reduce((s, p) => s + p.max, 0));
  return {
    schema: GRADE_SCHEMA,
    version: GRADE_VERSION,
    generatedAt: new Date().toISOString(),
    ...(commit ? { commit } : {}),
    rubric,
    minWords,
    points,
    max,
    percent: max === 0 ? 0 : round((100 * points) / max),
    tampering,
    projects,
  };
}

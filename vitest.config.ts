// One vitest project per course project, found from the folders, plus `repo` for test/.
// Adding a level needs no change here.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/** A project's suite and its "Alter it" specs, inside its folder (the grader's shared run uses these too). */
export const SUITE_FILES = 'tests/**/*.test.ts';
export const EXERCISE_FILES = 'exercises/**/*.spec.ts';

// COURSE_EXERCISES=1 runs the "Alter it" specs instead of the suites (the grader sets it).
const exercises = process.env.COURSE_EXERCISES === '1';

function courseProjects(): string[] {
  const found: string[] = [];
  for (const level of readdirSync('projects').filter((d) => d.startsWith('level-')).sort()) {
    for (const project of readdirSync(join('projects', level)).sort()) {
      if (existsSync(join('projects', level, project, 'project.json'))) found.push(`${level}/${project}`);
    }
  }
  return found;
}

export default defineConfig({
  test: {
    reporters: ['default'],
    // worker threads, not forked processes: each test file starts in a fraction of the time,
    // which the grader's ~160 files feel (README, "Decisions"). A test cannot process.chdir().
    pool: 'threads',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      ...courseProjects().map((id) => ({
        extends: true as const,
        test: {
          name: id,
          include: [`projects/${id}/${exercises ? EXERCISE_FILES : SUITE_FILES}`],
        },
      })),
      ...(exercises ? [] : [{ extends: true as const, test: { name: 'repo', include: ['test/**/*.test.ts'] } }]),
    ],
    coverage: {
      provider: 'v8',
      include: ['projects/**/src/**/*.ts'],
      thresholds: { lines: 85, branches: 75, functions: 85, statements: 85 },
    },
  },
});

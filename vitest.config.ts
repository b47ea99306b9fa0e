// One vitest project per course project, found from the folders, plus `repo` for test/.
// Adding a level needs no change here.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

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
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      ...courseProjects().map((id) => ({
        extends: true as const,
        test: {
          name: id,
          include: exercises
            ? [`projects/${id}/exercises/**/*.spec.ts`]
            : [`projects/${id}/tests/**/*.test.ts`],
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

// The grader's settings, from course.config.json at the repository root: rubric points per
// project, the minimum answer length, parallel scratch copies and the time limit of one run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CourseError } from './projects.ts';

export interface Rubric {
  tests: number;
  strength: number;
  exercises: number;
  teachBack: number;
}

export interface CourseConfig {
  rubric: Rubric;
  teachBack: { minWords: number };
  /** scratch copies run at once */
  jobs: number;
  /** the time limit of one vitest run, after which it counts as failed */
  runTimeoutMinutes: number;
}

export const DEFAULT_CONFIG: CourseConfig = {
  rubric: { tests: 40, strength: 20, exercises: 25, teachBack: 15 },
  teachBack: { minWords: 40 },
  jobs: 2,
  runTimeoutMinutes: 10,
};

export const CONFIG_FILE = 'course.config.json';

export function loadConfig(root: string): CourseConfig {
  const path = join(root, CONFIG_FILE);
  if (!existsSync(path)) return DEFAULT_CONFIG;
  let raw: Partial<CourseConfig>;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<CourseConfig>;
  } catch (error) {
    throw new CourseError(`${CONFIG_FILE} is not valid JSON (${(error as Error).message}); fix it or delete it to use the defaults`);
  }
  const config: CourseConfig = {
    rubric: { ...DEFAULT_CONFIG.rubric, ...raw.rubric },
    teachBack: { ...DEFAULT_CONFIG.teachBack, ...raw.teachBack },
    jobs: raw.jobs ?? DEFAULT_CONFIG.jobs,
    runTimeoutMinutes: raw.runTimeoutMinutes ?? DEFAULT_CONFIG.runTimeoutMinutes,
  };
  const numbers: Array<[string, number]> = [
    ...Object.entries(config.rubric).map(([k, v]) => [`rubric.${k}`, v] as [string, number]),
    ['teachBack.minWords', config.teachBack.minWords],
    ['jobs', config.jobs],
    ['runTimeoutMinutes', config.runTimeoutMinutes],
  ];
  for (const [key, value] of numbers) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new CourseError(`${CONFIG_FILE}: ${key} must be a number of at least 0, got ${JSON.stringify(value)}`);
    }
  }
  if (config.jobs < 1) throw new CourseError(`${CONFIG_FILE}: jobs must be at least 1`);
  return config;
}

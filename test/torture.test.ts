// The torture run of issue 8, short: 5 rounds per project (SIGKILL and SIGINT in turn, at
// seeded random moments), on real processes and the real disk, every project at once. Each
// round resumes until a run finishes and compares its artifacts byte for byte with an
// uninterrupted run. `npm run torture` is the long version (50 rounds by default).
import { describe, expect, it } from 'vitest';
import { discoverProjects } from '../tools/lib/projects.ts';
import { torture } from '../tools/lib/torture.ts';

const ROUNDS = 5;
const SEED = 1;
// Real process starts: about a second each on a busy machine, a few per round.
const LIMIT_MS = 300_000;

describe('torture, 5 rounds per project', () => {
  for (const project of discoverProjects()) {
    it.concurrent(
      `${project.id}: killed and interrupted at random moments, resumed to the same artifacts as an uninterrupted run`,
      async () => {
        const report = await torture(project, ROUNDS, SEED);
        expect(report.problems).toEqual([]);
        expect({ divergences: report.divergences, lost: report.lost, duplicated: report.duplicated }).toEqual({ divergences: 0, lost: 0, duplicated: 0 });
        expect(report.rounds).toBe(ROUNDS);
      },
      LIMIT_MS,
    );
  }
});

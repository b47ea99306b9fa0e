// The battery's 10 MB single line, one case per project, in a file of its own so that vitest
// runs it beside test/battery.test.ts. Each case is one run (no crash-and-resume), on the
// kit's in-memory volume: what it costs is copying 10 MB a few times, not the disk.
import { describe, expect, it } from 'vitest';
import { discoverProjects } from '../tools/lib/projects.ts';
import { checkCase } from './battery/check.ts';
import { TEN_MB } from './battery/cases.ts';
import { buildBattery, describeExpectation } from './battery/generic.ts';

const batteries = await Promise.all(discoverProjects().map(buildBattery));

for (const battery of batteries) {
  const large = battery.cases.filter((c) => c.name === 'a 10 MB single line');
  describe(`${battery.project.id}, fed a 10 MB line`, () => {
    for (const c of large) {
      it(`${c.name}: ${describeExpectation(c.expect)}`, async () => {
        // the line really is 10 MB: the longest file of the case's input
        expect(Math.max(...[...c.world.files.values()].map((f) => f.length))).toBeGreaterThanOrEqual(TEN_MB);
        const { problems } = await checkCase(battery.subject, c);
        expect(problems).toEqual([]);
      });
    }
    if (large.length === 0) it.todo(`has no 10 MB case yet: add the content cases for ${battery.project.id} in test/battery/cases.ts`);
  });
}

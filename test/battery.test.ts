// The bad-input battery (issue 8), over every project found from projects/*/*/project.json:
// each case states its exit code and message, and the bytes of the input, output and
// checkpoint are compared before and after: nothing lost, nothing half-written.
// The tools run in this process on the kit's recording file system (test/battery/runner.ts);
// the table of what each level does is test/battery/cases.ts.
import { describe, expect, it } from 'vitest';
import { discoverProjects } from '../tools/lib/projects.ts';
import { checkCase } from './battery/check.ts';
import { CONTENT_CASES, TEN_MB } from './battery/cases.ts';
import { buildBattery, describeExpectation } from './battery/generic.ts';

const MIN_CASES = 15;
const batteries = await Promise.all(discoverProjects().map(buildBattery));
// The 10 MB cases are in test/battery-large.test.ts, so the two files run side by side.
const isLarge = (name: string) => name === 'a 10 MB single line';

for (const battery of batteries) {
  describe(`${battery.project.id}, fed bad input`, () => {
    it(`has at least ${MIN_CASES} cases (${battery.cases.length})`, () => {
      expect(battery.cases.length).toBeGreaterThanOrEqual(MIN_CASES);
    });
    for (const c of battery.cases.filter((c) => !isLarge(c.name))) {
      // A known bug of a baseline (named in the case) runs as it.fails: it goes red once fixed, to be moved back.
      (c.knownBug ? it.fails : it)(`${c.name}: ${describeExpectation(c.expect)}${c.knownBug ? ` (known bug: ${c.knownBug})` : ''}`, async () => {
        const { problems } = await checkCase(battery.subject, c);
        expect(problems).toEqual([]);
      });
    }
    for (const n of battery.notApplicable) it.skip(`${n.name}: does not apply (${n.reason})`, () => {});
    if (!battery.entry?.content) {
      it.todo(`has no content cases yet (${CONTENT_CASES.join(', ')}): add an entry for ${battery.project.id} in test/battery/cases.ts`);
    }
  });
}

describe('the battery itself', () => {
  it(`builds its 10 MB line at ${TEN_MB} bytes`, () => {
    const large = batteries.flatMap((b) => b.cases.filter((c) => isLarge(c.name)));
    for (const c of large) expect(Math.max(...[...c.world.files.values()].map((f) => f.length))).toBeGreaterThanOrEqual(TEN_MB);
  });
});

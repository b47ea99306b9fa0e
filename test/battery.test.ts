// The bad-input battery (issue 8), over every project found from projects/*/*/project.json:
// each case states its exit code and message, and the bytes of the input, output and
// checkpoint are compared before and after: nothing lost, nothing half-written.
// The tools run in this process on the kit's recording file system (test/battery/runner.ts);
// the table of what each level does is test/battery/cases.ts.
import { describe, expect, it } from 'vitest';
import { discoverProjects } from '../tools/lib/projects.ts';
import { checkCase } from './battery/check.ts';
import { CONTENT_CASES } from './battery/cases.ts';
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
  it('gives a project with no entry in the table the generic cases, and no content cases', async () => {
    const known = discoverProjects().find((p) => p.id === 'level-4/05-checkpoint-recovery-tool')!;
    const unknown = await buildBattery({ ...known, id: 'level-9/99-not-in-the-table' });
    expect(unknown.entry).toBeUndefined();
    const names = unknown.cases.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['--batch-size 0', 'missing input', 'input that is a directory', 'output folder missing']));
    expect(names.filter((n) => n.startsWith('data break '))).toHaveLength(known.manifest.dataBreaks!.length);
    expect(names.some((n) => (CONTENT_CASES as readonly string[]).includes(n))).toBe(false);
    expect(unknown.cases.length).toBeGreaterThanOrEqual(MIN_CASES);
  });
});

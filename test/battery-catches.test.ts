// Issue 8, done when "a break that makes a project write before validating is caught by" the
// battery: its checking function, fed a tool that saves a checkpoint before it checks its
// flags and input, reports the write in every case that must refuse before writing. First a
// toy tool with and without that fault, then a real project (level 4) with the same fault
// planted by wrapping its main().
import { describe, expect, it } from 'vitest';
import { discoverProjects } from '../tools/lib/projects.ts';
import { checkCase, type BatteryCase, type Subject } from './battery/check.ts';
import { BAD_BATCH_SIZES, buildBattery, flagValue, setFlag } from './battery/generic.ts';
import { at, loadTool, withFiles, type Main } from './battery/runner.ts';
import { TOY_ARGS, TOY_FILES, TOY_SUBJECT_PATHS, toyTool } from './battery/toy-tool.ts';

const world = withFiles({ files: new Map(), dirs: new Set(['/']) }, TOY_FILES);
const toyCases: BatteryCase[] = [
  ...BAD_BATCH_SIZES.map((v) => ({ name: `--batch-size ${v}`, world, args: setFlag(TOY_ARGS, '--batch-size', v), expect: { code: 2, message: /batch-size/, writes: 'none' as const } })),
  { name: 'missing input', world, args: setFlag(TOY_ARGS, '--input', 'data/no-such-input'), expect: { code: 66, message: /no-such-input/, writes: 'none' } },
  { name: 'output folder missing', world, args: setFlag(TOY_ARGS, '--output', 'data/no-such-folder/sum.json'), expect: { code: 73, message: /no-such-folder/, writes: 'unchanged' } },
  { name: 'a clean run', world, args: TOY_ARGS, expect: { code: 0, message: 'Done: sum 55', writes: 'complete', crashResume: true } },
];
const subjectOf = (writeFirst: boolean): Subject => ({
  tool: toyTool(writeFirst),
  artifacts: TOY_SUBJECT_PATHS.artifacts,
  checkpoint: TOY_SUBJECT_PATHS.checkpoint,
  isInput: (p) => p === TOY_SUBJECT_PATHS.input,
});

describe('the battery catches a tool that writes before it validates', () => {
  it('passes a toy tool that checks its flags, input and output folder before its first write', async () => {
    for (const c of toyCases) expect((await checkCase(subjectOf(false), c)).problems, c.name).toEqual([]);
  });

  it('fails the same toy once it saves a fresh checkpoint first: every refusal reports the write', async () => {
    for (const c of toyCases.filter((c) => c.expect.code !== 0)) {
      const { problems, outcome } = await checkCase(subjectOf(true), c);
      expect(outcome.code, c.name).toBe(c.expect.code); // the exit code alone would not show it
      expect(problems.join('\n'), c.name).toMatch(c.expect.writes === 'none' ? /wrote before refusing: writeFile data\/checkpoint\.json\.tmp, rename data\/checkpoint\.json\.tmp -> data\/checkpoint\.json/ : /not left as it was: unexpected \/p\/data\/checkpoint\.json/);
    }
  });

  it('fails level 4 with the same fault planted in its main(): bad flags, missing input and every refused data break report it', async () => {
    const project = discoverProjects().find((p) => p.id === 'level-4/05-checkpoint-recovery-tool')!;
    const battery = await buildBattery(project);
    // The break: before main() looks at anything, a fresh checkpoint is written where --checkpoint points.
    const writeFirst = (main: Main): Main => async (argv, deps) => {
      const checkpoint = flagValue(argv, '--checkpoint');
      if (checkpoint) (deps.fs as typeof import('node:fs')).writeFileSync(checkpoint, '{"schema_version":1,"next_index":0}\n');
      return main(argv, deps);
    };
    const broken: Subject = { ...battery.subject, tool: await loadTool(project, { wrapMain: writeFirst }) };
    const refusals = battery.cases.filter((c) => (c.expect.writes === 'none' || c.expect.writes === 'unchanged') && c.args.includes('--checkpoint') && !flagValue(c.args, '--checkpoint')!.startsWith('locked/'));
    expect(refusals.map((c) => c.name)).toEqual(expect.arrayContaining(['--batch-size 0', 'missing input', 'input that is a directory']));
    expect(refusals.filter((c) => c.name.startsWith('data break ')).length).toBeGreaterThanOrEqual(6);
    for (const c of refusals) {
      const { problems } = await checkCase(broken, c);
      expect(problems.join('\n'), c.name).toMatch(/wrote before refusing|not left as it was|exit \d+, expected/);
    }
    // and the same cases pass on the real level 4
    for (const c of refusals.slice(0, 3)) expect((await checkCase(battery.subject, c)).problems, c.name).toEqual([]);
  });
});

// A project's battery: the generic cases every project gets from its project.json, and the
// cases of its entry in cases.ts. Nothing here names a level: a new project is covered as soon
// as its project.json exists.
import { basename } from 'node:path';
import type { Project } from '../../tools/lib/projects.ts';
import type { BatteryCase, Expectation, Subject } from './check.ts';
import { CONTENT_CASES, ENTRIES, type Entry, type GenericId } from './cases.ts';
import { at, loadTool, sampleWorld, withFiles, type Tool } from './runner.ts';

export const BAD_BATCH_SIZES = ['0', '-1', '1.5', 'abc', '9007199254740993'];

export interface Battery {
  project: Project;
  entry: Entry | undefined;
  subject: Subject;
  /** the run's arguments, paths relative to the project folder */
  args: string[];
  cases: BatteryCase[];
  /** generic cases that do not apply to this project, and why */
  notApplicable: Array<{ name: string; reason: string }>;
}

/** The value of a flag in an argument list. */
export function flagValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i === -1 ? undefined : args[i + 1];
}

/** The argument list with a flag set to a new value (added when absent). */
export function setFlag(args: string[], flag: string, value: string): string[] {
  const i = args.indexOf(flag);
  return i === -1 ? [...args, flag, value] : [...args.slice(0, i + 1), value, ...args.slice(i + 2)];
}

const under = (dir: string) => (p: string) => p === at(dir) || p.startsWith(`${at(dir)}/`);

export async function buildBattery(project: Project): Promise<Battery> {
  const entry = ENTRIES[project.id];
  const tool: Tool = await loadTool(project, entry?.tool);
  const args = entry?.args ?? project.manifest.run;
  const sample = sampleWorld(project);
  const inputs = new Set(sample.files.keys());

  let sampleRun: Awaited<ReturnType<Tool['run']>> | undefined;
  const runSample = async () => (sampleRun ??= await tool.run(sample, args));
  const artifacts = project.manifest.artifacts.map(at);
  const subject: Subject = {
    tool,
    artifacts,
    checkpoint: at(project.manifest.checkpoint),
    checkpointKept: entry?.checkpointKept,
    isInput: (p) => inputs.has(p),
    sampleArtifacts: async () => {
      const r = await runSample();
      return new Map(artifacts.map((a) => [a, r.after.files.get(a)]));
    },
  };
  const first = await runSample();
  if (first.code !== 0) throw new Error(`${project.id}: the sample run (${args.join(' ')}) exited ${first.code}: ${first.log.at(-1)}`);

  const cases: BatteryCase[] = [];
  const notApplicable: Battery['notApplicable'] = [];
  const base = (name: string, expect: Expectation, more: Partial<BatteryCase> = {}): BatteryCase => ({ name, world: sample, args, expect, ...more });
  const add = (id: GenericId, c: BatteryCase) => {
    const adjust = entry?.adjust?.[id];
    if (adjust && 'notApplicable' in adjust) notApplicable.push({ name: c.name, reason: adjust.notApplicable });
    else cases.push(adjust ? adjust(c) : c);
  };
  const missingFlag = (name: string, flag: string) =>
    notApplicable.push({ name, reason: `the run has no ${flag} flag; say which flag it is in the project's entry in test/battery/cases.ts` });

  // G3: every data break of project.json, as `course break` makes it.
  for (const b of project.manifest.dataBreaks ?? []) {
    cases.push(
      base(`data break ${b.name} (${b.description})`, { code: b.expect.code, message: b.expect.message, writes: b.expect.code === 0 ? 'complete' : 'unchanged' }, {
        prepare: b.prepare,
        write: b.write ? { [b.write.path]: b.write.content } : undefined,
      }),
    );
  }

  // G4: bad flags, refused before anything is read or written.
  for (const value of BAD_BATCH_SIZES) {
    cases.push(base(`--batch-size ${value}`, { code: 2, message: /batch-size/, writes: 'none' }, { args: setFlag(args, '--batch-size', value) }));
  }

  const inputFlag = entry?.input?.flag ?? '--input';
  const input = flagValue(args, inputFlag);
  if (input) {
    add('missing input', base('missing input', { code: 66, message: /no-such-input/, writes: 'none' }, { args: setFlag(args, inputFlag, 'data/no-such-input') }));
    add(
      'input is a directory',
      base('input that is a directory', { code: 66, message: /a-folder/, writes: 'none' }, { args: setFlag(args, inputFlag, 'data/a-folder'), world: withFiles(sample, {}, ['data/a-folder']) }),
    );
  } else {
    missingFlag('missing input', inputFlag);
    missingFlag('input that is a directory', inputFlag);
  }

  // G9 and exit 73: the output and the checkpoint cannot be created.
  const outputFlag = entry?.output ?? '--output';
  const output = flagValue(args, outputFlag);
  const locked = { eacces: under('locked') };
  if (output) {
    add(
      'output folder missing',
      base('output folder missing', { code: 73, message: /no-such-folder/, writes: 'unchanged' }, { args: setFlag(args, outputFlag, `data/no-such-folder/${basename(output)}`) }),
    );
    add(
      'output folder not writable',
      base('output folder not writable (EACCES)', { code: 73, message: /locked/, writes: 'unchanged' }, {
        args: setFlag(args, outputFlag, `locked/${basename(output)}`),
        world: withFiles(sample, {}, ['locked']),
        faults: locked,
      }),
    );
    add(
      'output path is a directory',
      base('output path that is a directory', { code: 73, message: /is a (directory|folder)/, writes: 'unchanged' }, { world: withFiles(sample, {}, [output]) }),
    );
  } else {
    for (const name of ['output folder missing', 'output folder not writable (EACCES)', 'output path that is a directory']) missingFlag(name, outputFlag);
  }
  const checkpointFlag = entry?.checkpoint ?? '--checkpoint';
  const checkpoint = flagValue(args, checkpointFlag);
  if (checkpoint) {
    add(
      'checkpoint folder read-only',
      base('checkpoint folder read-only (EACCES)', { code: 73, message: /locked/, writes: 'unchanged' }, {
        args: setFlag(args, checkpointFlag, `locked/${basename(checkpoint)}`),
        world: withFiles(sample, {}, ['locked']),
        faults: locked,
      }),
    );
  } else missingFlag('checkpoint folder read-only (EACCES)', checkpointFlag);

  // G9: the disk fills half-way through a run (by the bytes an uninterrupted run writes).
  const written = first.ops.reduce((n, op) => n + (['write', 'writeFile', 'appendFile'].includes(op.kind) ? (op.bytes ?? 0) : 0), 0);
  add('disk full', base(`disk full after ${Math.floor(written / 2)} of the ${written} bytes a run writes (ENOSPC)`, { code: 74, message: /ENOSPC/, writes: 'resumable' }, { faults: { enospcAfterBytes: Math.floor(written / 2) } }));

  // G8: a lock left by a run killed part-way, its holder alive, then dead.
  if (entry?.lock) {
    const prepare = [[...args, '--simulate-crash', String(entry.lock.crashAfter)]];
    cases.push(base('a lock held by a live process', entry.lock.live, { prepare, preparedAlive: true }));
    cases.push(base('a lock left by a dead process', entry.lock.dead, { prepare }));
  }

  // The input formats: only the entry knows them.
  if (entry?.content) {
    const file = entry.input?.file ?? input!;
    const bytes = sample.files.get(at(file));
    if (!bytes) throw new Error(`${project.id}: the content cases vary ${file}, which is not in the sample data`);
    for (const name of CONTENT_CASES) {
      const c = entry.content[name];
      cases.push({ name, world: withFiles(sample, { [file]: Buffer.from(c.input(bytes)) }), args, expect: c.expect });
    }
  }
  cases.push(...(entry?.extra?.({ args }) ?? []));
  return { project, entry, subject, args, cases, notApplicable };
}

/** A test name from an expectation: what the case must do, as a specification. */
export function describeExpectation(e: Expectation): string {
  switch (e.writes) {
    case 'none':
      return `exits ${e.code} before any write`;
    case 'unchanged':
      return `exits ${e.code}, every file left as it was`;
    case 'progress':
      return `exits ${e.code}, input and output as they were, only the checkpoint moved, and a rerun refuses the same way`;
    case 'complete':
      return `exits 0 and finishes whole${e.sameAsSample ? ', the same as the plain sample' : ''}${e.crashResume ? ', also after a crash half-way' : ''}`;
    case 'resumable':
      return `exits ${e.code}, input as it was, and a rerun without the fault finishes byte-identical to an uninterrupted run`;
  }
}

// A toy tool for the battery's own tests: it sums a file of numbers, one per line, saving
// {next, sum} after every batch (temp file and rename), as the course's tools do. Made with
// `writeFirst`, it has the fault the battery must catch: it saves a fresh checkpoint before it
// has checked its flags or its input.
import { dirname } from 'node:path';
import type { Project } from '../../tools/lib/projects.ts';
import type { SyncFs } from '../kit/index.ts';
import { at, toolFromMain, type Main, type Tool } from './runner.ts';

export const TOY_ARGS = ['--input', 'data/numbers.txt', '--output', 'data/sum.json', '--checkpoint', 'data/checkpoint.json', '--batch-size', '3'];
export const TOY_FILES = { 'data/numbers.txt': Array.from({ length: 10 }, (_, i) => `${i + 1}\n`).join('') };

const TOY_PROJECT: Project = {
  id: 'toy/00-sum',
  rel: 'test/battery/toy-tool.ts',
  dir: import.meta.dirname,
  number: '00',
  manifest: { id: 'toy/00-sum', title: 'Toy sum', level: 0, focus: 'the battery catches a write before validation', run: TOY_ARGS, artifacts: ['data/sum.json'], checkpoint: 'data/checkpoint.json' },
};

function toyMain(writeFirst: boolean): Main {
  return async (argv, deps) => {
    const fs = deps.fs as SyncFs;
    const log = deps.log as (line: string) => void;
    const flag = (name: string) => argv[argv.indexOf(name) + 1]!;
    const [input, output, checkpoint, batch] = ['--input', '--output', '--checkpoint', '--batch-size'].map(flag) as [string, string, string, string];
    const save = (path: string, text: string) => {
      fs.writeFileSync(`${path}.tmp`, text);
      fs.renameSync(`${path}.tmp`, path);
    };
    if (writeFirst) save(checkpoint, JSON.stringify({ next: 0, sum: 0 })); // THE FAULT: a write before any check

    if (!/^[0-9]+$/.test(batch) || !Number.isSafeInteger(Number(batch)) || Number(batch) < 1) {
      log(`Error: --batch-size must be a positive whole number, got '${batch}'`);
      log('Run with --help for usage.');
      return 2;
    }
    if (!fs.existsSync(input) || fs.statSync(input).isDirectory()) {
      log(`Error: Input ${input} does not exist or is a folder; check --input`);
      return 66;
    }
    if (!fs.existsSync(dirname(output))) {
      log(`Error: Output folder ${dirname(output)} does not exist; create it first`);
      return 73;
    }
    const numbers = fs.readFileSync(input, 'utf8').split('\n').filter(Boolean).map(Number);
    let state = fs.existsSync(checkpoint) ? (JSON.parse(fs.readFileSync(checkpoint, 'utf8')) as { next: number; sum: number }) : { next: 0, sum: 0 };
    for (let i = state.next; i < numbers.length; i++) {
      state = { next: i + 1, sum: state.sum + numbers[i]! };
      if (state.next % Number(batch) === 0) save(checkpoint, JSON.stringify(state));
    }
    save(output, `${JSON.stringify({ sum: state.sum })}\n`);
    if (fs.existsSync(checkpoint)) fs.unlinkSync(checkpoint);
    log(`Done: sum ${state.sum}`);
    return 0;
  };
}

/** The toy as the battery runs it: checks first (`writeFirst` false) or writes first (true). */
export function toyTool(writeFirst: boolean): Tool {
  return toolFromMain(TOY_PROJECT, toyMain(writeFirst));
}

export const TOY_SUBJECT_PATHS = { artifacts: [at('data/sum.json')], checkpoint: at('data/checkpoint.json'), input: at('data/numbers.txt') };

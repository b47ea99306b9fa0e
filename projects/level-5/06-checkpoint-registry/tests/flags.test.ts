// G4: bad arguments and a missing input are refused before anything is written: no database
// file appears, no export. These go through the real parser (yargs), not the tests' cache.
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Deps } from '../src/deps.ts';
import { main } from '../src/main.ts';
import { CLOCK, Workspace } from './tool.ts';

const ws = new Workspace();
afterAll(() => ws.remove());

async function cli(argv: string[]) {
  const log: string[] = [];
  let out = '';
  const deps: Deps = {
    fs, pid: 1, isAlive: () => false, now: () => CLOCK, log: (l) => log.push(l), out: (t) => (out += t),
    crash: () => { throw new Error('no crash expected'); }, interrupt: { requested: false },
  };
  return { code: await main(argv, deps), log, out };
}

const mine = (...extra: string[]) => ['mine-patterns', '7', '--db', ws.db, '--input', ws.input, '--export', ws.export, ...extra];
const bad = (v: string) => [v === '9007199254740993' ? 'beyond the safe integers' : `'${v}'`, v] as const;

describe('the command line', () => {
  const cases: [string, string[], RegExp][] = [
    ...['0', '-1', '1.5', 'abc', '9007199254740993'].map((v): [string, string[], RegExp] => [`--batch-size ${bad(v)[0]}`, mine('--batch-size', v), /--batch-size must be a positive whole number/]),
    ['--checkpoint-every 0', mine('--checkpoint-every', '0'), /--checkpoint-every must be a positive whole number, got '0'/],
    ['--min-spam-count -1', mine('--min-spam-count', '-1'), /--min-spam-count must be a positive whole number/],
    ['--simulate-crash 0', mine('--simulate-crash', '0'), /--simulate-crash must be a positive whole number, got '0'/],
    ['<days> 0', ['mine-patterns', '0', '--db', ws.db, '--input', ws.input], /<days> must be a positive whole number, got '0'/],
    ['<days> 1.5', ['mine-patterns', '1.5', '--db', ws.db, '--input', ws.input], /<days> must be a positive whole number, got '1.5'/],
    ['no <days>', ['mine-patterns', '--db', ws.db], /Not enough non-option arguments/],
    ['resume-mining abc', ['resume-mining', 'abc', '--db', ws.db], /<id> must be a positive whole number, got 'abc'/],
    ['list-checkpoints 0', ['list-checkpoints', '0', '--db', ws.db], /\[limit\] must be a positive whole number, got '0'/],
    ['list-checkpoints 10 paused', ['list-checkpoints', '10', 'paused', '--db', ws.db], /\[status\] must be running, completed or failed, got 'paused'/],
    ['no command', ['--db', ws.db], /Name a command: mine-patterns, list-checkpoints or resume-mining/],
    ['an unknown command', ['mine', '7', '--db', ws.db], /Unknown arguments: mine, 7/],
    ['an unknown flag', mine('--use-llm'), /Unknown argument/],
  ];
  for (const [name, argv, message] of cases) {
    it(`refuses ${name} with exit 2 before anything is written`, async () => {
      const r = await cli(argv);
      expect(r.code).toBe(2);
      expect(r.log[0]).toMatch(message);
      expect(r.log[1]).toBe('Run with --help for usage.');
      expect(fs.readdirSync(ws.dir)).toEqual(['sample_messages.log']);
    });
  }

  it('refuses a missing message log with exit 66 before the database is created', async () => {
    const r = await cli(mine('--input', ws.path('nope.log')));
    expect(r.code).toBe(66);
    expect(r.log[0]).toBe(`Error: Message log ${ws.path('nope.log')} does not exist; check the --input path`);
    expect(fs.readdirSync(ws.dir)).toEqual(['sample_messages.log']);
  });

  it('refuses a bad line of the message log with exit 65, naming the line, before anything is written', async () => {
    fs.writeFileSync(ws.path('bad.log'), '1\t2026-03-01\tspam\tfirst\n2\t2026-03-01\tspam\n');
    const r = await cli(mine('--input', ws.path('bad.log')));
    expect(r.code).toBe(65);
    expect(r.log[0]).toBe(`Error: Message log ${ws.path('bad.log')} line 2: expected 4 tab-separated fields (id, date, spam|ham, text), got 3; fix the line, then rerun`);
    fs.unlinkSync(ws.path('bad.log'));
    expect(fs.readdirSync(ws.dir)).toEqual(['sample_messages.log']);
  });

  it('refuses an export or database folder that does not exist with exit 73 before anything is written', async () => {
    const noExport = await cli(mine('--export', ws.path('nowhere/patterns.json')));
    expect(noExport.code).toBe(73);
    expect(noExport.log[0]).toBe(`Error: Export folder ${ws.path('nowhere')} does not exist; create it first`);
    const noDb = await cli(['mine-patterns', '7', '--input', ws.input, '--export', ws.export, '--db', ws.path('nowhere/registry.db')]);
    expect(noDb.code).toBe(73);
    expect(noDb.log[0]).toBe(`Error: Database folder ${ws.path('nowhere')} does not exist; create it first`);
    expect(fs.readdirSync(ws.dir)).toEqual(['sample_messages.log']);
  });

  it('takes the last value of a flag given twice', async () => {
    const r = await cli(mine('--input', ws.path('nope.log'), '--input', ws.input, '--batch-size', '0', '--batch-size', '50'));
    expect(r.code, r.log.join('\n')).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ status: 'completed' });
    fs.rmSync(ws.db);
    fs.rmSync(ws.export);
  });

  it('prints --help (with an example) and --version, exit 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/mine-patterns <days>/);
    expect(help.out).toMatch(/list-checkpoints \[limit\] \[status\]/);
    expect(help.out).toMatch(/resume-mining <id>/);
    const sub = await cli(['mine-patterns', '--help']);
    expect(sub.out).toMatch(/Examples:[\s\S]*mine-patterns 7 --batch-size 2/);
    expect((await cli(['--version'])).out).toBe('1.0.0\n');
  });
});

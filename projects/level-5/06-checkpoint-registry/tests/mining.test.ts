// The two stages' rules, item by item, and the window: pure functions, no database.
import { Volume, createFsFromVolume } from 'memfs';
import { describe, expect, it } from 'vitest';
import type { Fs } from '../src/deps.ts';
import { readMessageLog, windowOf, type Message } from '../src/message-log.ts';
import { groupMessage, groupsNewestFirst, minePattern, template, type Groups } from '../src/patterns.ts';

const msg = (id: number, text: string, spam = true): Message => ({ id, day: '2026-03-10', spam, text });

function logFs(text: string): Fs {
  const vol = Volume.fromJSON({ '/log.txt': text });
  return createFsFromVolume(vol) as unknown as Fs;
}

describe('stage 1: grouping', () => {
  it('reduces a message to its template: lowercase, links and numbers replaced, punctuation dropped', () => {
    expect(template('WIN a FREE iPhone 15 now! Claim at http://win.example/a1')).toBe('win a free iphone <n> now claim at <url>');
    expect(template('Your parcel 4411 is waiting, pay the $2 fee')).toBe('your parcel <n> is waiting pay the <n> fee');
  });

  it('counts spam messages per template, keeps the first (newest) one as the example, and passes ham over', () => {
    const groups: Groups = {};
    for (const m of [msg(9, 'Win 3 prizes'), msg(8, 'lunch?', false), msg(7, 'WIN 12 prizes!'), msg(6, 'cheap watches')]) groupMessage(groups, m);
    expect(groups).toEqual({ 'win <n> prizes': { count: 2, example: 9 }, 'cheap watches': { count: 1, example: 6 } });
  });

  it('treats a message that reads "constructor" as any other template', () => {
    const groups: Groups = {};
    groupMessage(groups, msg(2, 'constructor'));
    groupMessage(groups, msg(1, 'Constructor!'));
    expect(groups.constructor).toEqual({ count: 2, example: 2 });
  });
});

describe('stage 2: mining', () => {
  it('orders the groups newest example first, the direction stage 1 went', () => {
    const order = groupsNewestFirst({ a: { count: 1, example: 3 }, b: { count: 5, example: 9 }, c: { count: 2, example: 6 } });
    expect(order.map((g) => g.template)).toEqual(['b', 'c', 'a']);
  });

  it('keeps a group as a pattern only when it has at least min_spam_count messages', () => {
    expect(minePattern({ template: 't', count: 2, example: 4 }, 2)).toEqual({ pattern: 't', spam_count: 2, example_message_id: 4 });
    expect(minePattern({ template: 't', count: 1, example: 4 }, 2)).toBeUndefined();
  });
});

describe('the message log and its window', () => {
  const log = ['# header', '1\t2026-03-01\tham\ta', '2\t2026-03-05\tspam\tb', '', '3\t2026-03-08\tspam\tc', '4\t2026-03-10\tham\td', ''].join('\n');

  it('is the last <days> days ending on the newest message, newest first', () => {
    const parsed = readMessageLog(logFs(log), '/log.txt');
    expect(windowOf(parsed, 6).newestFirst.map((m) => m.id)).toEqual([4, 3, 2]);
    expect(windowOf(parsed, 6)).toMatchObject({ from: '2026-03-05', to: '2026-03-10' });
    expect(windowOf(parsed, 1).newestFirst.map((m) => m.id)).toEqual([4]);
    expect(windowOf(parsed, 1_000_000_000_000).newestFirst.map((m) => m.id)).toEqual([4, 3, 2, 1]);
  });

  const badLines: [string, string, RegExp][] = [
    ['three fields', '1\t2026-03-01\tspam', /line 1: expected 4 tab-separated fields/],
    ['an id that is not a number', 'x\t2026-03-01\tspam\ta', /line 1: id 'x' is not a positive whole number/],
    ['ids that do not increase', '2\t2026-03-01\tspam\ta\n2\t2026-03-01\tspam\tb', /line 2: id 2 does not follow 2/],
    ['a date that is not a day', '1\t2026-02-30\tspam\ta', /line 1: date '2026-02-30' is not a YYYY-MM-DD day/],
    ['dates out of order', '1\t2026-03-02\tspam\ta\n2\t2026-03-01\tspam\tb', /line 2: date 2026-03-01 is before 2026-03-02/],
    ['an unknown label', '1\t2026-03-01\teggs\ta', /line 1: label 'eggs' is neither spam nor ham/],
    ['an empty text', '1\t2026-03-01\tspam\t ', /line 1: the text is empty/],
  ];
  for (const [name, text, message] of badLines) {
    it(`refuses a log with ${name}, naming the line`, () => {
      expect(() => readMessageLog(logFs(text), '/log.txt')).toThrow(message);
    });
  }

  it('ties the log to its bytes with a sha256', () => {
    const a = readMessageLog(logFs(log), '/log.txt');
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readMessageLog(logFs(`${log}5\t2026-03-10\tham\te\n`), '/log.txt').sha256).not.toBe(a.sha256);
  });
});

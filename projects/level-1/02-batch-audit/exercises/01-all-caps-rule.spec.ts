// Alter it, task 1: a fourth rule. Posts that shout (mostly capital letters) are flagged with
// the reason `all-caps`, listed after the link reasons and before the age reason.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { analyse, OLD_BEFORE } from '../src/analyse.ts';
import { fileOf, PATHS, postsCsv, sampleFiles, tool } from '../tests/tool.ts';

const post = (text: string, createdAt = '2020-01-01') => ({ id: '1', createdAt, text });

describe('the all-caps rule', () => {
  it('flags a post with at least 10 letters of which at least 80% are capitals', () => {
    expect(analyse(post('THIS IS SO UNFAIR!!!'))).toEqual(['all-caps']);
    expect(analyse(post('WHY DOES MY CODE FAIL AGAIN, ok'))).toEqual(['all-caps']); // 22 of 24 letters
    expect(analyse(post('ABCDEFGH ij'))).toEqual(['all-caps']); // 8 of 10: exactly 80%
  });

  it('counts letters only: digits, spaces, punctuation and emoji do not count either way', () => {
    expect(analyse(post('ABCDEFGHIJ 12345 !!! 🎉'))).toEqual(['all-caps']);
    expect(analyse(post('ABCDEFGHI 1234567890'))).toEqual([]); // 9 letters
  });

  it('keeps short shouts and mostly-lowercase posts', () => {
    expect(analyse(post('OK GO NOW'))).toEqual([]); // 7 letters
    expect(analyse(post('ABCDEFG hij'))).toEqual([]); // 7 of 10: 70%
    expect(analyse(post('WHY DOES MY CODE FAIL on friday again'))).toEqual([]); // 17 of 30
    expect(analyse(post('Just a normal sentence with NASA in it'))).toEqual([]);
  });

  it('lists all-caps after the links and before the age', () => {
    expect(analyse(post('HATE THIS, READ HTTPS://BIT.LY/X', '2012-05-05'))).toEqual([
      'keyword:hate',
      'short-link:bit.ly',
      'all-caps',
      `older-than:${OLD_BEFORE}`,
    ]);
  });

  it('flags a shouting post in a real run, and changes nothing for the sample, which has none', async () => {
    const input = postsCsv([['2020-01-01', 'calm'], ['2020-01-02', 'STOP SHOUTING AT ME']]);
    const done = await runOnVolume(tool(), seedVolume(sampleFiles(input)));
    expect(fileOf(done.after, PATHS.output)).toBe('index,id,reasons,text\n1,2,all-caps,STOP SHOUTING AT ME\n');
    const sample = await runOnVolume(tool(), seedVolume(sampleFiles()));
    expect(fileOf(sample.after, PATHS.output)).not.toContain('all-caps');
  });
});

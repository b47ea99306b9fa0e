// The analyser's rules, as the README documents them: keywords, shortened links, age.
import { describe, expect, it } from 'vitest';
import { analyse, KEYWORDS, OLD_BEFORE, SHORTENERS } from '../src/analyse.ts';

const post = (text: string, createdAt = '2020-01-01T00:00:00Z') => ({ id: '1', createdAt, text });

describe('the analyser', () => {
  it('keeps a post that breaks no rule', () => {
    expect(analyse(post('Made pasta from scratch, flour everywhere.'))).toEqual([]);
  });

  it('flags each keyword as a whole word, in any case, hashtags included', () => {
    for (const word of KEYWORDS) {
      expect(analyse(post(`so much ${word.toUpperCase()} today`))).toEqual([`keyword:${word}`]);
      expect(analyse(post(`#${word}`))).toEqual([`keyword:${word}`]);
    }
  });

  it('does not flag a keyword inside another word', () => {
    expect(analyse(post('The cryptography lecture; a hateful-free zone; whatever'))).toEqual([]);
  });

  it('flags links through a shortener, only with a scheme', () => {
    for (const host of SHORTENERS) expect(analyse(post(`look https://${host}/abc`))).toEqual([`short-link:${host}`]);
    expect(analyse(post('see bit.ly/abc or https://example.com/bit.ly/'))).toEqual([]);
  });

  it(`flags posts from before ${OLD_BEFORE}, and not from that day on`, () => {
    expect(analyse(post('hello', '2013-12-31T23:59:59Z'))).toEqual([`older-than:${OLD_BEFORE}`]);
    expect(analyse(post('hello', '2013-06-01'))).toEqual([`older-than:${OLD_BEFORE}`]);
    expect(analyse(post('hello', OLD_BEFORE))).toEqual([]);
  });

  it('lists every reason, in a fixed order: keywords, links, age', () => {
    expect(analyse(post('HATE this crypto giveaway http://bit.ly/x', '2012-01-01'))).toEqual([
      'keyword:crypto',
      'keyword:giveaway',
      'keyword:hate',
      'short-link:bit.ly',
      `older-than:${OLD_BEFORE}`,
    ]);
  });
});

// What the pipeline does to one record: the same record always gives the same line (G5).
import { describe, expect, it } from 'vitest';
import { stageRecord } from '../src/stage-record.ts';

describe('staging a record', () => {
  it('collapses whitespace, counts words and keeps the source, index and id', () => {
    expect(stageRecord('bbc', 6, { id: 'bbc-007', text: '  Drought  warning\tissued\n' })).toBe(
      '{"source":"bbc","index":6,"id":"bbc-007","text":"Drought warning issued","words":3}\n',
    );
  });

  it.each(['', '   ', '\t\n'])('drops a record whose text is only %j', (text) => {
    expect(stageRecord('tiktok', 3, { id: 'x', text })).toBeUndefined();
  });

  it('writes composed and decomposed accents as the same bytes (NFC)', () => {
    const composed = stageRecord('w', 0, { id: 'a', text: 'caf\u00e9' });
    expect(stageRecord('w', 0, { id: 'a', text: 'cafe\u0301' })).toBe(composed);
  });
});

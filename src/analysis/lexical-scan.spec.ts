import { describe, expect, it } from '@jest/globals';
import type { Language } from './analysis-result.js';
import { scanTokens } from './lexical-scan.js';
import { tokenizePost } from './post-tokenizer.js';

const scan = (text: string, language: Language = 'en') => scanTokens(tokenizePost(text).tokens, language);
const labels = (text: string, language: Language = 'en') => scan(text, language).cues.map((cue) => cue.label);

describe('scanTokens', () => {
  it('stops negating at punctuation, so praise after a comma still counts', () => {
    // natural's analyser would flip "great" too and call this negative.
    expect(scan('did not like it, great staff').valence).toBeGreaterThan(0);
  });

  it('negates at most three words', () => {
    expect(scan('not a single thing here was great').valence).toBeGreaterThan(0);
    expect(scan('not very good').valence).toBeLessThan(0);
  });

  it('reads a negated resolution as a failure', () => {
    expect(scan("I haven't received my parcel").cues).toContainEqual(
      expect.objectContaining({ kind: 'failure', label: 'not received' }),
    );
    expect(labels('Nee, nog steeds niets ontvangen.', 'nl')).toContain('niet ontvangen');
  });

  it('drops thanks that are negated', () => {
    expect(scan('no thanks').cues).toEqual([]);
  });

  it('prefers the longest cue', () => {
    expect(labels('werkt nog steeds niet', 'nl')).toEqual(['werkt nog steeds niet']);
    expect(labels('yes it works again')).toEqual(['it works again']);
  });

  it('names a prefix cue by the word it matched', () => {
    expect(labels('my flight got cancelled')).toEqual(['cancelled']);
  });

  it('reads inflected Dutch adjectives', () => {
    expect(scan('een slechte ervaring', 'nl').valence).toBeLessThan(0);
    expect(scan('wat een snelle bezorging', 'nl').valence).toBeGreaterThan(0);
  });

  it('keeps a word that means something else in Dutch to English posts', () => {
    expect(labels('dat lost het probleem op', 'nl')).toEqual(['probleem']);
    expect(labels('they lost my bag')).toEqual(['lost my']);
  });

  it('keeps English valences out of Dutch posts', () => {
    // "die" is "that" in Dutch and a strongly negative word in AFINN.
    expect(scan('die jas is mooi', 'nl').valence).toBeGreaterThan(0);
  });

  it('scores emoji', () => {
    expect(scan('😡', 'other').valence).toBeLessThan(0);
    expect(scan('👍', 'other').valence).toBeGreaterThan(0);
  });
});

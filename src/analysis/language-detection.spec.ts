import { describe, expect, it } from '@jest/globals';
import { detectLanguage, languageFromHint } from './language-detection.js';

describe('languageFromHint', () => {
  it.each([
    ['nl', 'nl'],
    ['nl-NL', 'nl'],
    ['EN_gb', 'en'],
    ['eng', 'en'],
    ['de', null],
    ['und', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('reads %p as %p', (hint, expected) => {
    expect(languageFromHint(hint)).toBe(expected);
  });
});

describe('detectLanguage', () => {
  it('tells short Dutch and English posts apart', () => {
    expect(detectLanguage('mijn pakket is nog steeds niet geleverd')).toBe('nl');
    expect(detectLanguage('you charged me twice for my order')).toBe('en');
  });

  it('lets a Dutch or English hint win over detection', () => {
    expect(detectLanguage('you charged me twice for my order', 'nl-NL')).toBe('nl');
  });

  it('detects when the hint names another language', () => {
    expect(detectLanguage('mijn pakket is nog steeds niet geleverd', 'de')).toBe('nl');
  });

  it('calls languages other than Dutch and English other', () => {
    expect(detectLanguage('Das Paket ist immer noch nicht angekommen')).toBe('other');
  });

  it('calls empty text other', () => {
    expect(detectLanguage('')).toBe('other');
  });
});

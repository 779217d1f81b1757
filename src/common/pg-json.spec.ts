import { describe, expect, it } from '@jest/globals';
import { pgSafeJson, pgSafeText } from './pg-json.js';

describe('pgSafeText and pgSafeJson', () => {
  it('drops NUL characters and replaces lone surrogates', () => {
    expect(pgSafeText('a\u0000b\uD800c')).toBe('ab\uFFFDc');
  });

  it('keeps whole emoji and cleans strings at any depth of a payload', () => {
    expect(pgSafeText('ok 😀')).toBe('ok 😀');
    expect(JSON.parse(pgSafeJson({ a: ['x\u0000', { b: '\uDC00' }], n: 1 }))).toEqual({ a: ['x', { b: '\uFFFD' }], n: 1 });
  });
});

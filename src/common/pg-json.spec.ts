import { describe, expect, it } from '@jest/globals';
import { pgSafeJson, pgSafeText } from './pg-json.js';

describe('pgSafeText and pgSafeJson', () => {
  it('drops NUL characters and replaces lone surrogates', () => {
    expect(pgSafeText('a\u0000b\uD800c')).toBe('ab\uFFFDc');
  });

  it('keeps whole emoji and cleans strings at any depth of a payload', () => {
    expect(pgSafeText('ok 😀')).toBe('ok 😀');
    expect(JSON.parse(pgSafeJson({ a: ['x\u0000', { b: '\uDC00' }], n: 1, e: '😀' }))).toEqual({ a: ['x', { b: '\uFFFD' }], n: 1, e: '😀' });
  });

  it('keeps a backslash-u the sender typed as text', () => {
    const typed = { t: 'C:\\u0000 and \\ud800', both: '\\\u0000' };
    expect(JSON.parse(pgSafeJson(typed))).toEqual({ t: 'C:\\u0000 and \\ud800', both: '\\' });
  });
});

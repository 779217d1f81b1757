import { describe, expect, it } from '@jest/globals';
import { csrfMatches, csrfTokenFor, isUnsafeMethod, newSessionId, parseCookies, sha256Hex } from './session-cookie.js';

describe('the session cookie', () => {
  it('holds 256 random bits, and the table only their hash', () => {
    const id = newSessionId();
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    expect(newSessionId()).not.toBe(id);
    expect(sha256Hex(id)).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256Hex(id)).not.toContain(id);
  });

  it('is read from a Cookie header among other cookies, the first of a repeated name winning', () => {
    const cookies = parseCookies('theme=dark; paradox_session=abc%2Fdef; paradox_session=second; paradox_csrf="q-1"; broken; =x; bad=%E0%A4%A');
    expect(cookies.get('paradox_session')).toBe('abc/def');
    expect(cookies.get('paradox_csrf')).toBe('q-1');
    expect(cookies.get('theme')).toBe('dark');
    expect(cookies.has('broken')).toBe(false);
    expect(cookies.has('bad')).toBe(false);
    expect(parseCookies(undefined).size).toBe(0);
  });
});

describe('the CSRF token', () => {
  const session = newSessionId();
  const token = csrfTokenFor(session);

  it('is accepted only from the session it was made for', () => {
    expect(csrfMatches(session, token)).toBe(true);
    expect(csrfMatches(newSessionId(), token)).toBe(false);
  });

  it('is refused when missing, empty, cut short or altered', () => {
    expect(csrfMatches(session, undefined)).toBe(false);
    expect(csrfMatches(session, '')).toBe(false);
    expect(csrfMatches(session, token.slice(1))).toBe(false);
    expect(csrfMatches(session, (token[0] === 'A' ? 'B' : 'A') + token.slice(1))).toBe(false);
  });

  it('gives away neither the session id nor its stored hash', () => {
    expect(token).not.toContain(session);
    expect(token).not.toBe(sha256Hex(session));
  });

  it('is asked for on methods that change something', () => {
    expect(['POST', 'PUT', 'PATCH', 'DELETE', 'post'].map(isUnsafeMethod)).toEqual([true, true, true, true, true]);
    expect(['GET', 'HEAD', 'OPTIONS'].map(isUnsafeMethod)).toEqual([false, false, false]);
  });
});

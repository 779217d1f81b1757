import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Response } from 'express';

export const SESSION_COOKIE = 'paradox_session';
// Readable by the page's own script, which sends it back in X-CSRF-Token.
export const CSRF_COOKIE = 'paradox_csrf';
export const CSRF_HEADER = 'x-csrf-token';

// 256 random bits: the cookie's value, known only to the browser; the table keeps its hash.
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

// The session's CSRF token, derived from its secret id: tied to the session, nothing to store,
// and neither the token nor the stored hash gives the id away.
export function csrfTokenFor(sessionId: string): string {
  return createHmac('sha256', sessionId).update('paradox csrf').digest('base64url');
}

// Whether a request sent the session's CSRF token (compared in constant time).
export function csrfMatches(sessionId: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenFor(sessionId));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// Methods a cross-site page can make a browser send with its cookies, and that change something.
export function isUnsafeMethod(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

// The Cookie header's pairs; the first of a repeated name wins, as browsers send the most
// specific first. Malformed pairs are skipped.
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 1) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      // A broken %-escape: not a cookie Paradox set.
    }
  }
  return cookies;
}

// HTTP-only for the session, readable for the CSRF token; Lax keeps cross-site POSTs cookieless.
export function cookieOptions(secure: boolean, maxAgeMs: number, httpOnly: boolean): CookieOptions {
  return { httpOnly, secure, sameSite: 'lax', path: '/', maxAge: maxAgeMs };
}

// The cookies last as long as a session may (the table decides when it has ended before that).
export function setSessionCookies(response: Response, session: { sessionId: string; csrfToken: string }, secure: boolean, maxAge: number): void {
  response.cookie(SESSION_COOKIE, session.sessionId, cookieOptions(secure, maxAge, true));
  response.cookie(CSRF_COOKIE, session.csrfToken, cookieOptions(secure, maxAge, false));
}

export function clearSessionCookies(response: Response, secure: boolean): void {
  const { maxAge: _, ...session } = cookieOptions(secure, 0, true);
  response.clearCookie(SESSION_COOKIE, session);
  response.clearCookie(CSRF_COOKIE, { ...session, httpOnly: false });
}

import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { checkSignature, signDelivery, signatureHeaders } from './webhook-signature.js';

const SECRET = 'whsec-test-3f9a';
const NOW = new Date('2026-11-02T09:00:00Z');
const T = NOW.getTime() / 1000;
const BODY = '{"id":"r-1","text":"my order never came","author":{"id":"u-7"}}';

// Signed the way a caller does it with openssl: printf '%s.%s' "$t" "$body" | openssl dgst -sha256 -hmac "$secret"
const callerSignature = (timestamp: number | string, body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

const check = (timestamp: string | undefined, signature: string | undefined, body = BODY, now = NOW, tolerance = 300) =>
  checkSignature({ timestamp, signature, body: Buffer.from(body) }, SECRET, tolerance, now);

describe('the webhook signature', () => {
  it('accepts a delivery signed with the shared secret over the timestamp, a dot and the exact body', () => {
    expect(check(String(T), callerSignature(T, BODY))).toEqual({ ok: true });
  });

  it('signs in hex as openssl does, the same for a string body and its bytes', () => {
    expect(signDelivery(SECRET, T, BODY)).toBe(callerSignature(T, BODY).slice('sha256='.length));
    expect(signDelivery(SECRET, T, Buffer.from(BODY))).toBe(signDelivery(SECRET, T, BODY));
  });

  it('refuses a body changed after signing, even by one space', () => {
    expect(check(String(T), callerSignature(T, BODY), BODY.replace('"text":', '"text": '))).toMatchObject({ ok: false, code: 'WEBHOOK.BAD_SIGNATURE' });
  });

  it('refuses a signature made with another secret', () => {
    expect(check(String(T), callerSignature(T, BODY, 'another-secret'))).toMatchObject({ ok: false, code: 'WEBHOOK.BAD_SIGNATURE' });
  });

  it('refuses a valid signature moved to another timestamp', () => {
    expect(check(String(T + 1), callerSignature(T, BODY))).toMatchObject({ ok: false, code: 'WEBHOOK.BAD_SIGNATURE' });
  });

  it('signs the timestamp as written, so leading zeros are part of what is signed', () => {
    expect(check(`0${T}`, callerSignature(`0${T}`, BODY))).toEqual({ ok: true });
    expect(check(`0${T}`, callerSignature(T, BODY))).toMatchObject({ ok: false, code: 'WEBHOOK.BAD_SIGNATURE' });
  });

  it('accepts a timestamp up to the tolerance away, both ways, and refuses one second more', () => {
    for (const skew of [-300, 300]) expect(check(String(T + skew), callerSignature(T + skew, BODY))).toEqual({ ok: true });
    for (const skew of [-301, 301]) expect(check(String(T + skew), callerSignature(T + skew, BODY))).toMatchObject({ ok: false, code: 'WEBHOOK.STALE' });
  });

  it('refuses a replay of an authentic delivery once the window has passed', () => {
    const later = new Date(NOW.getTime() + 10 * 60_000);
    expect(check(String(T), callerSignature(T, BODY), BODY, later)).toMatchObject({ ok: false, code: 'WEBHOOK.STALE' });
  });

  it('calls a delivery without both headers, or with malformed ones, unsigned', () => {
    const signature = callerSignature(T, BODY);
    expect(check(undefined, signature)).toMatchObject({ code: 'WEBHOOK.UNSIGNED' });
    expect(check(String(T), undefined)).toMatchObject({ code: 'WEBHOOK.UNSIGNED' });
    expect(check('yesterday', signature)).toMatchObject({ code: 'WEBHOOK.UNSIGNED' });
    expect(check(String(T), signature.replace('sha256=', 'sha1='))).toMatchObject({ code: 'WEBHOOK.UNSIGNED' });
    expect(check(String(T), signature.slice(0, -2))).toMatchObject({ code: 'WEBHOOK.UNSIGNED' });
  });

  it('never quotes the signature or the secret in its reasons', () => {
    const signature = callerSignature(T, BODY, 'another-secret');
    for (const result of [check(String(T), signature), check(String(T - 900), callerSignature(T - 900, BODY))]) {
      expect(result.ok).toBe(false);
      const reason = result.ok ? '' : result.reason;
      expect(reason).not.toContain(signature.slice('sha256='.length));
      expect(reason).not.toContain(SECRET);
    }
  });

  it('signs outgoing requests with the same scheme the check accepts', () => {
    const headers = signatureHeaders(SECRET, BODY, NOW);
    expect(headers['X-Paradox-Timestamp']).toBe(String(T));
    expect(check(headers['X-Paradox-Timestamp'], headers['X-Paradox-Signature'])).toEqual({ ok: true });
  });
});

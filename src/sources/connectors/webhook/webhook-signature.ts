import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-paradox-timestamp';
export const SIGNATURE_HEADER = 'x-paradox-signature';
const SCHEME = 'sha256=';

export type SignatureRefusal = 'WEBHOOK.UNSIGNED' | 'WEBHOOK.BAD_SIGNATURE' | 'WEBHOOK.STALE';

export interface SignedDelivery {
  // The two headers as they arrived (undefined when missing).
  timestamp: string | undefined;
  signature: string | undefined;
  // The body exactly as sent: the signature covers these bytes, not a re-serialised object.
  body: Buffer;
}

export type SignatureCheck = { ok: true } | { ok: false; code: SignatureRefusal; reason: string };

// HMAC-SHA256 with the shared secret over `${timestamp}.${body}` (Stripe's scheme), as hex; the
// timestamp as written in its header.
export function signDelivery(secret: string, timestamp: number | string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

// The headers a signed request carries: for replies sent to a callback, signed like deliveries.
export function signatureHeaders(secret: string, body: string, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { 'X-Paradox-Timestamp': String(timestamp), 'X-Paradox-Signature': `${SCHEME}${signDelivery(secret, timestamp, body)}` };
}

// Checks a delivery's signature and that its timestamp lies within the tolerance of now, both ways:
// a captured delivery cannot be replayed later, nor one signed ahead of time used afterwards.
// The reasons never quote the signature.
export function checkSignature(delivery: SignedDelivery, secret: string, toleranceSeconds: number, now: Date): SignatureCheck {
  const { timestamp, signature } = delivery;
  if (!timestamp || !signature) return { ok: false, code: 'WEBHOOK.UNSIGNED', reason: 'the X-Paradox-Timestamp and X-Paradox-Signature headers are required' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, code: 'WEBHOOK.UNSIGNED', reason: 'X-Paradox-Timestamp is unix seconds' };
  if (!signature.startsWith(SCHEME) || !/^[0-9a-f]{64}$/i.test(signature.slice(SCHEME.length))) {
    return { ok: false, code: 'WEBHOOK.UNSIGNED', reason: 'X-Paradox-Signature is sha256=<64 hex digits>' };
  }
  const expected = Buffer.from(signDelivery(secret, timestamp, delivery.body), 'hex');
  const presented = Buffer.from(signature.slice(SCHEME.length), 'hex');
  // Both are 32 bytes here, so the comparison takes the same time whatever differs.
  if (!timingSafeEqual(expected, presented)) {
    return { ok: false, code: 'WEBHOOK.BAD_SIGNATURE', reason: 'the signature does not match the timestamp and body with the shared secret' };
  }
  // Checked once the signature holds: STALE then means an authentic delivery sent again too late.
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (skew > toleranceSeconds) {
    return { ok: false, code: 'WEBHOOK.STALE', reason: `the timestamp is ${Math.round(skew)} s from now; at most ${toleranceSeconds} s are accepted` };
  }
  return { ok: true };
}

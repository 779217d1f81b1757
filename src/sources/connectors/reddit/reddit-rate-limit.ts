import type { RateLimitState } from '../../social-connector.js';

type Headers = Record<string, unknown>;

// A 429 that names no wait at all waits this long.
export const DEFAULT_RATE_WAIT_MS = 60_000;

// Reddit counts requests per OAuth client over a ten-minute window. X-Ratelimit-Remaining is a
// float ("347.0") and X-Ratelimit-Reset the seconds left in the window, not a time.
export function readRateLimit(headers: Headers, now: Date): RateLimitState | null {
  const remaining = seconds(headers['x-ratelimit-remaining']);
  if (remaining === null) return null;
  const reset = seconds(headers['x-ratelimit-reset']);
  // Less than one request left is none: the poller waits for the reset when it reads 0.
  return { remaining: Math.floor(remaining), resetAt: reset === null ? null : new Date(now.getTime() + reset * 1000) };
}

// When to ask again after a 429, whether Reddit answered JSON or its HTML page: the later of
// Retry-After and the window's reset when either is sent, else a default wait.
export function rateLimitedUntil(headers: Headers, now: Date): Date {
  const waits = [retryAfter(headers['retry-after'], now), seconds(headers['x-ratelimit-reset'])].filter((s): s is number => s !== null);
  return new Date(now.getTime() + (waits.length ? Math.max(...waits) * 1000 : DEFAULT_RATE_WAIT_MS));
}

// A new or low-karma account may comment only now and then; Reddit says so in a 200 answer:
// json.ratelimit holds the seconds, the message "you are doing that too much. try again in 9 minutes."
export function commentAllowedAt(ratelimit: unknown, message: string, now: Date): Date {
  let wait = typeof ratelimit === 'number' && Number.isFinite(ratelimit) && ratelimit >= 0 ? ratelimit : null;
  const said = /in (\d+) (second|minute|hour)/i.exec(message);
  if (wait === null && said) wait = Number(said[1]) * { second: 1, minute: 60, hour: 3600 }[said[2].toLowerCase() as 'second'];
  return new Date(now.getTime() + (wait === null ? DEFAULT_RATE_WAIT_MS : Math.ceil(wait) * 1000));
}

function seconds(value: unknown): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if ((typeof text !== 'string' && typeof text !== 'number') || String(text).trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

// Retry-After is seconds, or an HTTP date.
function retryAfter(value: unknown, now: Date): number | null {
  const plain = seconds(value);
  if (plain !== null || typeof value !== 'string') return plain;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, (at - now.getTime()) / 1000);
}

import type { RateLimitState } from '../../social-connector.js';

type Headers = Record<string, unknown>;

// X counts most endpoints in 15-minute windows: without a reset header, wait one window.
export const X_WINDOW_MS = 15 * 60_000;

// X's rate-limit headers; the reset is epoch SECONDS. Posting also has a 24-hour cap per user and
// per app, named in headers of its own: when one of those is spent, its reset is the one to wait for.
export function readRateLimit(headers: Headers): RateLimitState | null {
  const window = limitOf(headers, 'x-rate-limit');
  for (const day of ['x-user-limit-24hour', 'x-app-limit-24hour']) {
    const spent = limitOf(headers, day);
    if (spent?.remaining === 0) return spent;
  }
  return window;
}

// The quota closest to running out among the answers of one poll: when it reaches 0 the poller
// waits for its reset instead of earning a 429.
export function tightest(limits: (RateLimitState | null)[]): RateLimitState | null {
  let tight: RateLimitState | null = null;
  for (const limit of limits) {
    if (!limit || limit.remaining === null) continue;
    if (!tight || limit.remaining < tight.remaining! || (limit.remaining === tight.remaining && (limit.resetAt?.getTime() ?? 0) > (tight.resetAt?.getTime() ?? 0))) {
      tight = limit;
    }
  }
  return tight;
}

function limitOf(headers: Headers, prefix: string): RateLimitState | null {
  const remaining = wholeNumber(headers[`${prefix}-remaining`]);
  const reset = wholeNumber(headers[`${prefix}-reset`]);
  if (remaining === null && reset === null) return null;
  return { remaining, resetAt: reset === null ? null : new Date(reset * 1000) };
}

function wholeNumber(value: unknown): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || !/^\d+$/.test(text.trim())) return null;
  return Number(text);
}

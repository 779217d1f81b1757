import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RATE_WAIT_MS, commentAllowedAt, rateLimitedUntil, readRateLimit } from './reddit-rate-limit.js';

const now = new Date('2026-11-02T09:00:00Z');
const after = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe('readRateLimit', () => {
  it('reads the float remaining and the reset as seconds left, as Reddit sends them', () => {
    expect(readRateLimit({ 'x-ratelimit-remaining': '347.0', 'x-ratelimit-reset': '321', 'x-ratelimit-used': '253' }, now)).toEqual({ remaining: 347, resetAt: after(321) });
  });

  it('counts less than one request left as none, so the poller waits for the reset', () => {
    expect(readRateLimit({ 'x-ratelimit-remaining': '0.6', 'x-ratelimit-reset': '40' }, now)).toEqual({ remaining: 0, resetAt: after(40) });
  });

  it('knows nothing from an answer without the headers (the token endpoint, a 401)', () => {
    expect(readRateLimit({ 'content-type': 'application/json' }, now)).toBeNull();
    expect(readRateLimit({ 'x-ratelimit-remaining': 'lots' }, now)).toBeNull();
  });

  it('keeps the remaining count when the reset is missing', () => {
    expect(readRateLimit({ 'x-ratelimit-remaining': '12.0' }, now)).toEqual({ remaining: 12, resetAt: null });
  });
});

describe('rateLimitedUntil', () => {
  it('waits as long as the HTML 429 page\'s Retry-After says', () => {
    expect(rateLimitedUntil({ 'content-type': 'text/html; charset=UTF-8', 'retry-after': '4' }, now)).toEqual(after(4));
  });

  it('waits for the window to reset when the quota is spent', () => {
    expect(rateLimitedUntil({ 'x-ratelimit-remaining': '0.0', 'x-ratelimit-reset': '246' }, now)).toEqual(after(246));
  });

  it('takes the later of the two when both are sent', () => {
    expect(rateLimitedUntil({ 'retry-after': '4', 'x-ratelimit-reset': '90' }, now)).toEqual(after(90));
  });

  it('reads Retry-After given as an HTTP date', () => {
    expect(rateLimitedUntil({ 'retry-after': 'Mon, 02 Nov 2026 09:00:30 GMT' }, now)).toEqual(after(30));
  });

  it('waits a default minute when the 429 names no wait, as the recorded JSON form does not', () => {
    expect(rateLimitedUntil({ 'content-type': 'application/json; charset=UTF-8' }, now)).toEqual(new Date(now.getTime() + DEFAULT_RATE_WAIT_MS));
  });
});

describe('commentAllowedAt', () => {
  it('takes the seconds of json.ratelimit', () => {
    expect(commentAllowedAt(532.5, 'you are doing that too much. try again in 9 minutes.', now)).toEqual(after(533));
  });

  it('reads the wait from the message when json.ratelimit is missing', () => {
    expect(commentAllowedAt(undefined, 'you are doing that too much. try again in 9 minutes.', now)).toEqual(after(540));
    expect(commentAllowedAt(undefined, 'you are doing that too much. try again in 20 seconds.', now)).toEqual(after(20));
  });

  it('waits the default when neither says', () => {
    expect(commentAllowedAt(null, 'slow down', now)).toEqual(new Date(now.getTime() + DEFAULT_RATE_WAIT_MS));
  });
});

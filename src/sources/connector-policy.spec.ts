import { describe, expect, it } from '@jest/globals';
import { ConnectorError } from './connector-error.js';
import { afterFailure } from './connector-policy.js';

const now = new Date('2026-01-01T12:00:00Z');
const seconds = (d: Date) => (d.getTime() - now.getTime()) / 1000;

describe('afterFailure', () => {
  it('doubles the back-off with every consecutive temporary failure', () => {
    const error = new ConnectorError('TEMPORARY', 'HTTP 500');
    expect(seconds(afterFailure(error, 1, now, 10_000).backoffUntil)).toBe(10);
    expect(seconds(afterFailure(error, 2, now, 10_000).backoffUntil)).toBe(20);
    expect(seconds(afterFailure(error, 4, now, 10_000).backoffUntil)).toBe(80);
  });

  it('never backs off longer than fifteen minutes', () => {
    expect(seconds(afterFailure(new ConnectorError('BAD_RESPONSE', 'x'), 30, now, 60_000).backoffUntil)).toBe(900);
  });

  it('waits for the reset a rate limit names', () => {
    const error = new ConnectorError('RATE_LIMITED', '429', new Date('2026-01-01T12:05:00Z'));
    expect(seconds(afterFailure(error, 1, now, 10_000).backoffUntil)).toBe(300);
  });

  it('treats an unknown error as temporary and says so', () => {
    const decision = afterFailure(new Error('socket hang up'), 1, now, 5_000);
    expect(decision.code).toBe('TEMPORARY');
    expect(decision.message).toContain('socket hang up');
  });

  it('backs off a quarter of an hour when the token has expired', () => {
    expect(seconds(afterFailure(new ConnectorError('AUTH_EXPIRED', '401'), 1, now, 5_000).backoffUntil)).toBe(900);
  });
});

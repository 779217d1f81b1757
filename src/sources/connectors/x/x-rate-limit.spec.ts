import { describe, expect, it } from '@jest/globals';
import { readRateLimit, tightest } from './x-rate-limit.js';

describe('readRateLimit', () => {
  it('reads the remaining count and an epoch-seconds reset as X sends them', () => {
    // From the recorded GET /2/users/:id/mentions answer.
    const limit = readRateLimit({ 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '448', 'x-rate-limit-reset': '1665183228' });
    expect(limit).toEqual({ remaining: 448, resetAt: new Date('2022-10-07T22:53:48Z') });
  });

  it('knows nothing of a limit when X sends no headers', () => {
    expect(readRateLimit({})).toBeNull();
  });

  it('ignores a header that is not a whole number', () => {
    expect(readRateLimit({ 'x-rate-limit-remaining': '3.5', 'x-rate-limit-reset': 'soon' })).toBeNull();
    expect(readRateLimit({ 'x-rate-limit-remaining': '7', 'x-rate-limit-reset': 'soon' })).toEqual({ remaining: 7, resetAt: null });
  });

  it("waits for the 24-hour cap's reset when posting has spent it, though the 15-minute window has room", () => {
    const limit = readRateLimit({
      'x-rate-limit-remaining': '99',
      'x-rate-limit-reset': '1700000900',
      'x-user-limit-24hour-remaining': '0',
      'x-user-limit-24hour-reset': '1700050000',
    });
    expect(limit).toEqual({ remaining: 0, resetAt: new Date(1700050000 * 1000) });
  });
});

describe('tightest', () => {
  const at = (s: number) => new Date(s * 1000);

  it('reports the quota closest to running out among one poll’s answers', () => {
    expect(tightest([{ remaining: 170, resetAt: at(10) }, null, { remaining: 3, resetAt: at(20) }, { remaining: 40, resetAt: at(5) }])).toEqual({
      remaining: 3,
      resetAt: at(20),
    });
  });

  it('takes the later reset of two spent quotas, so the poller waits until both are back', () => {
    expect(tightest([{ remaining: 0, resetAt: at(10) }, { remaining: 0, resetAt: at(30) }])).toEqual({ remaining: 0, resetAt: at(30) });
  });

  it('is null when no answer named a limit', () => {
    expect(tightest([null, { remaining: null, resetAt: null }])).toBeNull();
  });
});

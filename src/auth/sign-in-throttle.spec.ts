import { describe, expect, it } from '@jest/globals';
import { signInVerdict } from './sign-in-throttle.js';

const rule = { maxFailuresPerAccount: 5, maxFailuresPerIp: 20, windowMinutes: 15 };
const now = new Date('2026-11-02T09:00:00Z');
const minutesAgo = (...m: number[]) => m.map((x) => new Date(now.getTime() - x * 60_000));

describe('the sign-in throttle', () => {
  it('lets four failures of an account within 15 minutes try again', () => {
    expect(signInVerdict(minutesAgo(1, 2, 3, 4), [], now, rule)).toEqual({ throttled: false });
  });

  it('holds the account after five failures until the oldest of them is 15 minutes old', () => {
    expect(signInVerdict(minutesAgo(1, 2, 3, 4, 10), [], now, rule)).toEqual({ throttled: true, retryAfterSeconds: 5 * 60 });
  });

  it('counts only the newest five: the door opens when the fifth newest leaves the window', () => {
    expect(signInVerdict(minutesAgo(0.5, 1, 2, 3, 4, 14), [], now, rule)).toEqual({ throttled: true, retryAfterSeconds: 11 * 60 });
  });

  it('forgets failures older than the window', () => {
    expect(signInVerdict(minutesAgo(1, 2, 3, 4, 15), [], now, rule)).toEqual({ throttled: false });
    expect(signInVerdict(minutesAgo(16, 17, 18, 19, 20, 21), [], now, rule)).toEqual({ throttled: false });
  });

  it('holds an address after twenty failures across accounts', () => {
    const twenty = minutesAgo(...Array.from({ length: 20 }, (_, i) => i * 0.5));
    expect(signInVerdict([], twenty.slice(1), now, rule)).toEqual({ throttled: false });
    expect(signInVerdict([], twenty, now, rule)).toEqual({ throttled: true, retryAfterSeconds: Math.ceil((15 - 9.5) * 60) });
  });

  it('waits for the later of the two when both the account and the address are held', () => {
    const ip = minutesAgo(...Array.from({ length: 20 }, () => 1));
    expect(signInVerdict(minutesAgo(1, 1, 1, 1, 12), ip, now, rule)).toEqual({ throttled: true, retryAfterSeconds: 14 * 60 });
  });

  it('asks for at least a second, however close the door is to opening', () => {
    const almost = [new Date(now.getTime() - 15 * 60_000 + 10), ...minutesAgo(1, 1, 1, 1)];
    expect(signInVerdict(almost, [], now, rule)).toEqual({ throttled: true, retryAfterSeconds: 1 });
  });
});

import { describe, expect, it } from '@jest/globals';
import { breaksFirstTimeFix, firstTimeFixVerdict, missesAtResolve } from './first-time-fix.js';

const resolvedAt = new Date('2026-11-02T09:00:00Z');
const later = (days: number) => new Date(resolvedAt.getTime() + days * 86_400_000);

describe('the first-time fix rule', () => {
  it('is pending until the window has passed, then yes', () => {
    expect(firstTimeFixVerdict(resolvedAt, [], 14, later(13.9))).toMatchObject({ verdict: 'pending', windowEndsAt: later(14) });
    expect(firstTimeFixVerdict(resolvedAt, [], 14, later(14)).verdict).toBe('yes');
  });

  it('has no verdict before the case is resolved', () => {
    expect(firstTimeFixVerdict(null, [], 14, later(30)).verdict).toBeNull();
  });

  it('is no after a transfer, whatever the agent says', () => {
    const misses = missesAtResolve(2, 0, [], resolvedAt);
    expect(misses).toEqual([{ rule: 'transferred', count: 2 }]);
    expect(firstTimeFixVerdict(resolvedAt, misses, 14, later(30))).toMatchObject({ verdict: 'no', why: ['transferred 2 times'] });
  });

  it('stays no for a case that was reopened and resolved again', () => {
    const reopened = [{ rule: 'reopened' as const, at: later(3).toISOString() }];
    const misses = missesAtResolve(0, 1, reopened, later(5));
    expect(misses).toEqual(reopened);
    expect(firstTimeFixVerdict(later(5), misses, 14, later(40)).verdict).toBe('no');
  });

  it('is broken by a complaint on the same topic within the window after the resolution, on any channel', () => {
    const resolved = { resolvedAt, topic: 'delivery' };
    expect(breaksFirstTimeFix(resolved, { postedAt: later(13), topic: 'delivery' }, 14)).toBe(true);
    expect(breaksFirstTimeFix(resolved, { postedAt: later(14), topic: 'delivery' }, 14)).toBe(false);
    expect(breaksFirstTimeFix(resolved, { postedAt: later(2), topic: 'refund_billing' }, 14)).toBe(false);
    expect(breaksFirstTimeFix(resolved, { postedAt: later(-1), topic: 'delivery' }, 14)).toBe(false);
  });

  it('names the complaint that broke it', () => {
    const misses = [{ rule: 'complaint' as const, at: later(4).toISOString(), postId: 'p9', topic: 'delivery' }];
    expect(firstTimeFixVerdict(resolvedAt, misses, 14, later(20)).why).toEqual([`a new complaint on delivery at ${later(4).toISOString()}`]);
  });
});

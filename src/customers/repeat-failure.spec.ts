import { describe, expect, it } from '@jest/globals';
import { earlierFailures } from './repeat-failure.js';

const at = new Date('2026-11-20T09:00:00Z');
const daysBefore = (days: number) => new Date(at.getTime() - days * 86_400_000);
const earlier = (number: number, days: number, status = 'recovered') => ({ caseId: `c${number}`, number, openedAt: daysBefore(days), status });

describe('earlier failures of a customer', () => {
  it('counts a case opened within the window, even one that was recovered, newest first', () => {
    const found = earlierFailures([earlier(1, 80), earlier(2, 10, 'resolved')], at, 90);
    expect(found.map((e) => e.number)).toEqual([2, 1]);
  });

  it('forgets a case opened longer ago than the window', () => {
    expect(earlierFailures([earlier(1, 91)], at, 90)).toEqual([]);
    expect(earlierFailures([earlier(1, 90)], at, 90)).toHaveLength(1);
  });

  it('does not count a dismissed or merged case, nor a case opened at the same moment or later', () => {
    expect(earlierFailures([earlier(1, 5, 'dismissed'), earlier(2, 5, 'merged'), earlier(3, 0), earlier(4, -1)], at, 90)).toEqual([]);
  });
});

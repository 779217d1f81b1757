import { describe, expect, it } from '@jest/globals';
import { REOPEN_PRIORITY, basePriority, priorityAt, priorityAtSql, urgencyPoints, type PriorityInput } from './priority.js';

const now = new Date('2026-11-20T09:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

const input = (over: Partial<PriorityInput> = {}): PriorityInput => ({
  severity: 'low',
  complaintProbability: 0.6,
  followers: 10,
  earlierFailures: [],
  repeatWindowDays: 90,
  wonBack: { count: 0, lastNumber: null },
  reopened: false,
  ...over,
});

const total = (why: { points: number }[]) => why.reduce((t, f) => t + f.points, 0);
const factors = (why: { factor: string }[]) => why.map((f) => f.factor);

describe('case priority', () => {
  it('starts a complaint at 2 and explains it', () => {
    const p = basePriority(input());
    expect(p.priority).toBe(2);
    expect(p.why).toEqual([
      { factor: 'complaint', points: 2, why: 'a complaint starts at 2' },
      { factor: 'severity', points: 0, why: 'severity low' },
    ]);
  });

  it('raises priority for confident complaints, severity and large audiences', () => {
    expect(basePriority(input({ complaintProbability: 0.9 })).priority).toBe(3);
    expect(basePriority(input({ severity: 'high' })).priority).toBe(4);
    expect(basePriority(input({ followers: 50_000 })).priority).toBe(3);
    expect(basePriority(input({ followers: 250_000 })).priority).toBe(4);
    expect(basePriority(input({ complaintProbability: 0.9, severity: 'critical', followers: 50_000 })).priority).toBe(7);
  });

  it('escalates a repeated failure by 2, naming the earlier cases', () => {
    const p = basePriority(input({ earlierFailures: [{ number: 12, openedAt: minutes(-60 * 24 * 9) }] }));
    expect(p.priority).toBe(4);
    expect(p.why.find((f) => f.factor === 'repeat_failure')).toMatchObject({ points: 2, why: expect.stringContaining('C-12') });
  });

  it('names the latest earlier failures it was given and counts the rest', () => {
    const latest = [15, 14, 13, 12, 11].map((number, i) => ({ number, openedAt: minutes(-60 * 24 * (i + 1)) }));
    const p = basePriority(input({ earlierFailures: latest, earlierCount: 8 }));
    expect(p.priority).toBe(4);
    expect(p.why.find((f) => f.factor === 'repeat_failure')?.why).toContain('(C-15, C-14, C-13, C-12, C-11 and 3 more)');
  });

  it('does not lower the priority for a customer won back before: it raises it by 1', () => {
    const p = basePriority(input({ earlierFailures: [{ number: 7, openedAt: minutes(-60 * 24 * 30) }], wonBack: { count: 1, lastNumber: 7 } }));
    expect(p.priority).toBe(5);
    expect(factors(p.why)).toEqual(['complaint', 'severity', 'repeat_failure', 'won_back']);
  });

  it('puts a reopened case at 9 whatever its other factors', () => {
    expect(basePriority(input({ reopened: true, severity: 'critical' }))).toEqual({ priority: REOPEN_PRIORITY, why: [expect.objectContaining({ factor: 'reopened', points: 9 })] });
  });

  it('adds nothing while there is time, 1 in the last 15 minutes and 2 once overdue', () => {
    expect(urgencyPoints(minutes(16), now)).toBe(0);
    expect(urgencyPoints(minutes(15), now)).toBe(1);
    expect(urgencyPoints(minutes(1), now)).toBe(1);
    expect(urgencyPoints(minutes(0), now)).toBe(2);
    expect(urgencyPoints(minutes(-30), now)).toBe(2);
    expect(urgencyPoints(null, now)).toBe(0);
  });

  it('grows with time passing, the stored factors untouched', () => {
    const base = basePriority(input({ severity: 'medium' }));
    const due = { at: minutes(60), milestone: 'acknowledgement' };
    expect(priorityAt(base, due, now).priority).toBe(3);
    expect(priorityAt(base, due, minutes(50))).toMatchObject({ priority: 4, why: expect.arrayContaining([{ factor: 'time_left', points: 1, why: '10 min left to the acknowledgement' }]) });
    expect(priorityAt(base, due, minutes(75))).toMatchObject({ priority: 5, why: expect.arrayContaining([{ factor: 'time_left', points: 2, why: 'acknowledgement overdue by 15 min' }]) });
    expect(base.priority).toBe(3);
  });

  it('stops at 8 and says so, so the points always add up to the priority', () => {
    const base = basePriority(input({ complaintProbability: 0.95, severity: 'critical', followers: 200_000, earlierFailures: [{ number: 3, openedAt: minutes(-600) }] }));
    expect(base.priority).toBe(8);
    const late = priorityAt(base, { at: minutes(-5), milestone: 'acknowledgement' }, now);
    expect(late.priority).toBe(8);
    expect(late.why.at(-1)).toMatchObject({ factor: 'cap', points: -4 });
    for (const p of [late, priorityAt(basePriority(input()), { at: minutes(5), milestone: 'acknowledgement' }, now)]) expect(total(p.why)).toBe(p.priority);
  });

  it('keeps a reopened case at 9 as time passes', () => {
    const base = basePriority(input({ reopened: true }));
    expect(priorityAt(base, { at: minutes(-60), milestone: 'acknowledgement' }, now).priority).toBe(9);
  });

  it('explains a priority stored before the factors were kept', () => {
    expect(priorityAt({ priority: 4, why: [] }, null, now)).toEqual({ priority: 4, why: [expect.objectContaining({ factor: 'complaint', points: 4 })] });
  });

  it('writes the same steps in SQL for the queue', () => {
    const sql = priorityAtSql('c.priority', 'c.ack_due_at', '$1');
    expect(sql).toContain(`WHEN c.ack_due_at <= CAST($1 AS timestamptz) + interval '0 minutes' THEN 2`);
    expect(sql).toContain(`WHEN c.ack_due_at <= CAST($1 AS timestamptz) + interval '15 minutes' THEN 1`);
    expect(sql).toContain('LEAST(8, c.priority +');
  });
});

import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { SlaConfig } from '../config/config.schema.js';
import type { Case } from './case.entity.js';
import { openingHours } from './sla-clock.js';
import { afterReply, approvalWaitWithin, caseSla, milestoneState, slaDueTimes } from './sla-policy.js';

const MINUTE = 60_000;
const at = (iso: string) => new Date(iso);
const plus = (date: Date, minutes: number) => new Date(date.getTime() + minutes * MINUTE);
const always = plainToInstance(SlaConfig, {});
const office = plainToInstance(SlaConfig, {
  businessHours: { timeZone: 'Europe/Amsterdam', monday: ['09:00-17:00'], tuesday: ['09:00-17:00'], wednesday: ['09:00-17:00'], thursday: ['09:00-17:00'], friday: ['09:00-17:00'] },
});
const hours = openingHours(office.businessHours);

// Monday 2 November 2026, 10:00 in Amsterdam.
const posted = at('2026-11-02T09:00:00Z');

function openCase(fields: Partial<Case> = {}, sla: SlaConfig = always): Case {
  const due = slaDueTimes(posted, sla);
  return {
    status: 'open',
    createdAt: posted,
    slaStartedAt: posted,
    slaStoppedAt: null,
    slaApprovalWaits: [],
    ackDueAt: due.ackDueAt,
    acknowledgedAt: null,
    ackBreachedAt: null,
    firstResponseDueAt: due.firstResponseDueAt,
    firstRespondedAt: null,
    firstResponseBreachedAt: null,
    resolutionDueAt: due.resolutionDueAt,
    resolvedAt: null,
    resolutionBreachedAt: null,
    ...fields,
  } as Case;
}

describe('the SLA policy', () => {
  it('defaults to an hour to acknowledge, four to respond and a day to resolve', () => {
    expect(slaDueTimes(posted, always)).toEqual({ ackDueAt: plus(posted, 60), firstResponseDueAt: plus(posted, 240), resolutionDueAt: plus(posted, 1440) });
  });

  it('counts the milestones in business hours: a day to resolve is three working days of eight hours', () => {
    const due = slaDueTimes(posted, office);
    expect(due.firstResponseDueAt).toEqual(at('2026-11-02T13:00:00Z'));
    // 24 business hours from Monday 10:00: Monday 7, Tuesday 8, Wednesday 8, Thursday 1 → Thursday 10:00.
    expect(due.resolutionDueAt).toEqual(at('2026-11-05T09:00:00Z'));
  });

  it('breaches the acknowledgement SLA when 61 minutes pass without a public reply', () => {
    const clock = { startedAt: posted, dueAt: plus(posted, 60), metAt: null, stoppedAt: null, breachedAt: null };
    expect(milestoneState(clock, [], null, plus(posted, 59))).toMatchObject({ breachedAt: null, timeLeftMs: MINUTE, running: true });
    expect(milestoneState(clock, [], null, plus(posted, 60))).toMatchObject({ breachedAt: null, timeLeftMs: 0 });
    expect(milestoneState(clock, [], null, plus(posted, 61))).toMatchObject({ breachedAt: plus(posted, 60), timeLeftMs: -MINUTE });
  });

  it('counts a reply at the due minute as on time and one a minute later as a breach', () => {
    const due = plus(posted, 60);
    const onTime = milestoneState({ startedAt: posted, dueAt: due, metAt: due, stoppedAt: null, breachedAt: null }, [], null, plus(posted, 300));
    expect(onTime).toMatchObject({ breachedAt: null, timeLeftMs: 0, running: false, paused: false, agentMs: 60 * MINUTE });
    const late = milestoneState({ startedAt: posted, dueAt: due, metAt: plus(posted, 61), stoppedAt: null, breachedAt: null }, [], null, plus(posted, 300));
    expect(late).toMatchObject({ breachedAt: due, timeLeftMs: -MINUTE, running: false });
  });

  it('shows the breach the sweep recorded', () => {
    const recorded = plus(posted, 60);
    expect(milestoneState({ startedAt: posted, dueAt: recorded, metAt: plus(posted, 90), stoppedAt: null, breachedAt: recorded }, [], null, plus(posted, 90)).breachedAt).toEqual(recorded);
  });

  it('pauses outside business hours: the time left stays as it was at closing time', () => {
    // Friday 6 November 16:30 in Amsterdam: 30 minutes before closing, due Monday 09:30.
    const friday = at('2026-11-06T15:30:00Z');
    const clock = { startedAt: friday, dueAt: slaDueTimes(friday, office).ackDueAt, metAt: null, stoppedAt: null, breachedAt: null };
    const saturday = milestoneState(clock, [], hours, at('2026-11-07T12:00:00Z'));
    expect(saturday).toMatchObject({ running: true, paused: true, timeLeftMs: 30 * MINUTE, breachedAt: null, agentMs: 30 * MINUTE });
    const monday = milestoneState(clock, [], hours, at('2026-11-09T08:10:00Z'));
    expect(monday).toMatchObject({ paused: false, timeLeftMs: 20 * MINUTE });
  });

  it('stops the clock where the case was resolved or dismissed', () => {
    const clock = { startedAt: posted, dueAt: plus(posted, 60), metAt: null, stoppedAt: plus(posted, 20), breachedAt: null };
    expect(milestoneState(clock, [], null, plus(posted, 500))).toMatchObject({ running: false, paused: false, timeLeftMs: 40 * MINUTE, breachedAt: null, agentMs: 20 * MINUTE });
  });

  it("counts the wait for an approver apart from the agent's time", () => {
    // Drafted in 5 minutes, 30 minutes with the approver, published 5 minutes after the approval.
    const waits = [{ from: plus(posted, 5), to: plus(posted, 35) }];
    const state = milestoneState({ startedAt: posted, dueAt: plus(posted, 60), metAt: plus(posted, 40), stoppedAt: null, breachedAt: null }, waits, null, plus(posted, 40));
    expect(state).toMatchObject({ agentMs: 10 * MINUTE, approvalWaitMs: 30 * MINUTE });
  });

  it('counts two replies waiting at once as one wait, and only within the milestone and the business hours', () => {
    const waits = [
      { from: plus(posted, 10), to: plus(posted, 30) },
      { from: plus(posted, 20), to: plus(posted, 40) },
      { from: plus(posted, 100), to: plus(posted, 110) },
    ];
    expect(approvalWaitWithin(waits, posted, plus(posted, 60), null)).toBe(30 * MINUTE);
    // Submitted Monday 16:50, approved Tuesday 09:10: 20 minutes of business time.
    const overnight = [{ from: at('2026-11-02T15:50:00Z'), to: at('2026-11-03T08:10:00Z') }];
    expect(approvalWaitWithin(overnight, posted, at('2026-11-03T12:00:00Z'), hours)).toBe(20 * MINUTE);
  });

  it('acknowledges with the first public reply and takes the next reply that moves the problem on as the first response', () => {
    const c = openCase();
    const first = afterReply(c, { kind: 'apology', submittedAt: null, approvedAt: null }, plus(posted, 10));
    expect(first).toEqual({ acknowledgedAt: plus(posted, 10), status: 'acknowledged' });
    const acknowledged = openCase({ status: 'acknowledged', acknowledgedAt: plus(posted, 10) });
    expect(afterReply(acknowledged, { kind: 'follow_up', submittedAt: null, approvedAt: null }, plus(posted, 20))).toEqual({});
    expect(afterReply(acknowledged, { kind: 'acknowledgement', submittedAt: null, approvedAt: null }, plus(posted, 20))).toEqual({});
    expect(afterReply(acknowledged, { kind: 'question', submittedAt: null, approvedAt: null }, plus(posted, 30))).toEqual({ firstRespondedAt: plus(posted, 30) });
    const responded = openCase({ status: 'acknowledged', acknowledgedAt: plus(posted, 10), firstRespondedAt: plus(posted, 30) });
    expect(afterReply(responded, { kind: 'resolution', submittedAt: null, approvedAt: null }, plus(posted, 50))).toEqual({});
  });

  it("keeps a reply's wait for approval on the case", () => {
    const change = afterReply(openCase(), { kind: 'acknowledgement', submittedAt: plus(posted, 5), approvedAt: plus(posted, 25) }, plus(posted, 26));
    expect(change.slaApprovalWaits).toEqual([{ from: plus(posted, 5).toISOString(), to: plus(posted, 25).toISOString() }]);
  });

  it('shows every milestone of a case, and orders by the nearest one still running', () => {
    const fresh = caseSla(openCase(), always, plus(posted, 30));
    expect(fresh.nextDueAt).toEqual(plus(posted, 60));
    expect(fresh.milestones.acknowledgement).toMatchObject({ timeLeftMs: 30 * MINUTE, running: true });
    expect(fresh.milestones.resolution.timeLeftMs).toBe(1410 * MINUTE);
    const acknowledged = caseSla(openCase({ status: 'acknowledged', acknowledgedAt: plus(posted, 30) }), always, plus(posted, 45));
    expect(acknowledged.nextDueAt).toEqual(plus(posted, 240));
    expect(acknowledged.milestones.acknowledgement).toMatchObject({ metAt: plus(posted, 30), running: false, timeLeftMs: 30 * MINUTE });
  });

  it('meets the resolution (and a first response not yet given) when the case is resolved, and stops every clock when it is dismissed', () => {
    const resolvedAt = plus(posted, 100);
    const resolved = caseSla(openCase({ status: 'resolved', acknowledgedAt: plus(posted, 70), firstRespondedAt: resolvedAt, resolvedAt, slaStoppedAt: resolvedAt }), always, plus(posted, 2000));
    expect(resolved.milestones.resolution).toMatchObject({ metAt: resolvedAt, breachedAt: null, running: false });
    expect(resolved.milestones.firstResponse).toMatchObject({ metAt: resolvedAt, breachedAt: null });
    expect(resolved.milestones.acknowledgement.breachedAt).toEqual(plus(posted, 60));
    const dismissed = caseSla(openCase({ status: 'dismissed', slaStoppedAt: plus(posted, 20) }), always, plus(posted, 2000));
    expect(Object.values(dismissed.milestones).map((m) => [m.metAt, m.running, m.breachedAt])).toEqual([
      [null, false, null],
      [null, false, null],
      [null, false, null],
    ]);
    expect(dismissed.nextDueAt).toBeNull();
  });

  it("starts the clocks again from the post that reopened a case, leaving the first round's resolution behind", () => {
    const reopenedBy = plus(posted, 3000);
    const due = slaDueTimes(reopenedBy, always);
    const reopened = openCase({ status: 'open', resolvedAt: plus(posted, 100), slaStartedAt: reopenedBy, ...due });
    const sla = caseSla(reopened, always, plus(reopenedBy, 61));
    expect(sla.startedAt).toEqual(reopenedBy);
    expect(sla.milestones.acknowledgement).toMatchObject({ running: true, breachedAt: plus(reopenedBy, 60), timeLeftMs: -MINUTE });
    expect(sla.milestones.resolution).toMatchObject({ metAt: null, running: true, timeLeftMs: (1440 - 61) * MINUTE });
  });
});

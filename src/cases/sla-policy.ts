import type { SlaConfig } from '../config/config.schema.js';
import type { Case, CaseStatus } from './case.entity.js';
import { type OpeningHours, addBusinessMinutes, businessMsBetween, isOpen, openingHours } from './sla-clock.js';

export const MILESTONES = ['acknowledgement', 'firstResponse', 'resolution'] as const;
export type Milestone = (typeof MILESTONES)[number];

// After the acknowledgement, the first published reply of one of these kinds moves the problem on.
export const FIRST_RESPONSE_KINDS: readonly string[] = ['apology', 'question', 'resolution'];

const RESOLVED: readonly CaseStatus[] = ['resolved', 'follow_up_sent', 'recovered'];

export interface SlaDueTimes {
  ackDueAt: Date;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

// Every milestone's due time, in business minutes from the customer's post.
export function slaDueTimes(startedAt: Date, sla: SlaConfig): SlaDueTimes {
  const hours = openingHours(sla.businessHours);
  return {
    ackDueAt: addBusinessMinutes(startedAt, sla.ackMinutes, hours),
    firstResponseDueAt: addBusinessMinutes(startedAt, sla.firstResponseMinutes, hours),
    resolutionDueAt: addBusinessMinutes(startedAt, sla.resolutionMinutes, hours),
  };
}

// What the SLA clocks need of a published reply: its kind, and its wait for an approver.
export interface RepliedFacts {
  kind: string;
  submittedAt: Date | null;
  approvedAt: Date | null;
}

export type ReplyChange = Partial<Pick<Case, 'status' | 'acknowledgedAt' | 'firstRespondedAt' | 'slaApprovalWaits'>>;

// What a published reply changes on its case: the first reply of any kind acknowledges it; after
// that, the first one that moves the problem on is the first response (the acknowledgement itself
// never is). Its wait for an approver is kept, to be counted apart from the agent's time.
export function afterReply(c: Pick<Case, 'status' | 'acknowledgedAt' | 'firstRespondedAt' | 'slaApprovalWaits'>, reply: RepliedFacts, at: Date): ReplyChange {
  const change: ReplyChange = {};
  if (!c.acknowledgedAt) {
    change.acknowledgedAt = at;
    if (c.status === 'open') change.status = 'acknowledged';
  } else if (!c.firstRespondedAt && FIRST_RESPONSE_KINDS.includes(reply.kind)) {
    change.firstRespondedAt = at;
  }
  if (reply.submittedAt && reply.approvedAt && reply.submittedAt < reply.approvedAt) {
    change.slaApprovalWaits = [...(c.slaApprovalWaits ?? []), { from: reply.submittedAt.toISOString(), to: reply.approvedAt.toISOString() }];
  }
  return change;
}

// A milestone met at its due time is on time; a moment later it is breached.
export function isLate(dueAt: Date, end: Date): boolean {
  return end.getTime() > dueAt.getTime();
}

// A reply waiting for an approver, from its submission to its approval.
export interface ApprovalWait {
  from: Date;
  to: Date;
}

export interface MilestoneClock {
  // The customer's post that started the clock (the reopening post, after a reopen).
  startedAt: Date;
  dueAt: Date | null;
  metAt: Date | null;
  // The case was resolved, dismissed or merged before the milestone was met.
  stoppedAt: Date | null;
  // As the sweep recorded it.
  breachedAt: Date | null;
}

export interface MilestoneState {
  dueAt: Date | null;
  metAt: Date | null;
  breachedAt: Date | null;
  // Business time from now, or from where the clock stopped, to the due time; negative once past.
  timeLeftMs: number | null;
  running: boolean;
  // Running, but the brand is closed now: the time left does not go down.
  paused: boolean;
  // The business time the clock ran, split: approvers holding replies, and the rest.
  agentMs: number;
  approvalWaitMs: number;
}

export function milestoneState(clock: MilestoneClock, waits: readonly ApprovalWait[], hours: OpeningHours | null, now: Date): MilestoneState {
  const running = !clock.metAt && !clock.stoppedAt;
  const end = clock.metAt ?? clock.stoppedAt ?? now;
  const approvalWaitMs = approvalWaitWithin(waits, clock.startedAt, end, hours);
  const elapsedMs = businessMsBetween(clock.startedAt, end, hours);
  return {
    dueAt: clock.dueAt,
    metAt: clock.metAt,
    breachedAt: clock.breachedAt ?? (clock.dueAt && isLate(clock.dueAt, end) ? clock.dueAt : null),
    timeLeftMs: clock.dueAt ? businessMsBetween(end, clock.dueAt, hours) - businessMsBetween(clock.dueAt, end, hours) : null,
    running,
    paused: running && !isOpen(now, hours),
    agentMs: Math.max(0, elapsedMs - approvalWaitMs),
    approvalWaitMs,
  };
}

// Business time within [start, end] that some reply of the case waited for approval; two replies
// waiting at once count once.
export function approvalWaitWithin(waits: readonly ApprovalWait[], start: Date, end: Date, hours: OpeningHours | null): number {
  const spans = waits
    .map((w) => [Math.max(w.from.getTime(), start.getTime()), Math.min(w.to.getTime(), end.getTime())])
    .filter(([from, to]) => from < to)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let current: number[] | null = null;
  for (const span of spans) {
    if (current && span[0] <= current[1]) current[1] = Math.max(current[1], span[1]);
    else {
      if (current) total += businessMsBetween(new Date(current[0]), new Date(current[1]), hours);
      current = [...span];
    }
  }
  if (current) total += businessMsBetween(new Date(current[0]), new Date(current[1]), hours);
  return total;
}

export type SlaFields = Pick<
  Case,
  | 'status'
  | 'createdAt'
  | 'slaStartedAt'
  | 'slaStoppedAt'
  | 'slaApprovalWaits'
  | 'ackDueAt'
  | 'acknowledgedAt'
  | 'ackBreachedAt'
  | 'firstResponseDueAt'
  | 'firstRespondedAt'
  | 'firstResponseBreachedAt'
  | 'resolutionDueAt'
  | 'resolvedAt'
  | 'resolutionBreachedAt'
>;

// The three milestones of a case as they stand now.
export function caseSla(c: SlaFields, sla: SlaConfig, now: Date) {
  const hours = openingHours(sla.businessHours);
  const startedAt = c.slaStartedAt ?? c.createdAt;
  const resolvedAt = RESOLVED.includes(c.status) ? (c.slaStoppedAt ?? c.resolvedAt) : null;
  const stoppedAt = c.slaStoppedAt ?? resolvedAt;
  const waits = (c.slaApprovalWaits ?? []).map((w) => ({ from: new Date(w.from), to: new Date(w.to) }));
  const state = (dueAt: Date | null, metAt: Date | null, breachedAt: Date | null) =>
    milestoneState({ startedAt, dueAt, metAt, stoppedAt, breachedAt }, waits, hours, now);
  const milestones: Record<Milestone, MilestoneState> = {
    acknowledgement: state(c.ackDueAt, c.acknowledgedAt, c.ackBreachedAt),
    firstResponse: state(c.firstResponseDueAt, c.firstRespondedAt, c.firstResponseBreachedAt),
    resolution: state(c.resolutionDueAt, resolvedAt, c.resolutionBreachedAt),
  };
  const due = Object.values(milestones).filter((m) => m.running && m.dueAt).map((m) => m.dueAt!.getTime());
  return {
    startedAt,
    open: isOpen(now, hours),
    // What the queue orders by after the priority.
    nextDueAt: due.length ? new Date(Math.min(...due)) : null,
    milestones,
  };
}

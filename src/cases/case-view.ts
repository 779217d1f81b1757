import type { BrandConfig } from '../config/config.schema.js';
import { firstTimeFixVerdict } from '../customers/first-time-fix.js';
import { priorityAt } from '../customers/priority.js';
import type { Post } from '../sources/post.entity.js';
import type { Case } from './case.entity.js';
import type { TimelineEntry } from './cases.service.js';
import { caseReference, nextDue } from './case-rules.js';
import { type MilestoneState, caseSla } from './sla-policy.js';

// What the API shows of a case: the row, with the customer, the post that opened it and its SLA.
export function caseView(c: Case, post: Post | undefined, brand: BrandConfig, teamName: string | null, now: Date) {
  const demo = brand.demo;
  // The stored factors plus the time left now: the number the queue is ordered by.
  const priority = priorityAt({ priority: c.priority, why: c.priorityWhy ?? [] }, nextDue(c), now);
  return {
    id: c.id,
    reference: caseReference(c.number),
    brandId: c.brandId,
    demo,
    sourceId: c.sourceId,
    platform: c.platform,
    status: c.status,
    priority: priority.priority,
    priorityWhy: priority.why,
    repeatFailure: c.repeatFailure,
    language: c.language,
    ackDueAt: c.ackDueAt,
    ackOverdue: !c.acknowledgedAt && c.ackDueAt.getTime() < now.getTime(),
    acknowledgedAt: c.acknowledgedAt,
    claimedBy: c.claimExpiresAt && c.claimExpiresAt > now ? c.claimedBy : null,
    claimExpiresAt: c.claimExpiresAt && c.claimExpiresAt > now ? c.claimExpiresAt : null,
    team: c.teamId ? { id: c.teamId, name: teamName } : null,
    transferCount: c.transferCount,
    sla: slaView(c, brand, now),
    resolvedAt: c.resolvedAt,
    resolvedBy: c.resolvedBy,
    resolutionNote: c.resolutionNote,
    // What the agent said when resolving, and the rule's verdict (pending until the window passes).
    firstTimeFix: { claimed: c.firstTimeFix, ...firstTimeFixVerdict(c.resolvedAt, c.firstTimeFixWhy ?? [], brand.firstTimeFix.windowDays, now) },
    followUpDueAt: c.followUpDueAt,
    followUpSentAt: c.followUpSentAt,
    recoveredAt: c.recoveredAt,
    reopenedAt: c.reopenedAt,
    reopenCount: c.reopenCount,
    dismissedAt: c.dismissedAt,
    mergedIntoId: c.mergedIntoId,
    mergedAt: c.mergedAt,
    lastPostAt: c.lastPostAt,
    createdAt: c.createdAt,
    // The customer (a profile across channels) and the author who wrote on this case.
    customer: post?.author
      ? { id: c.customerId, authorId: post.author.id, handle: post.author.handle, displayName: post.author.displayName, followers: post.author.followers, repeatFailure: c.repeatFailure }
      : null,
    post: post ? { id: post.id, text: post.text, url: post.url, postedAt: post.postedAt, externalId: post.externalId } : null,
    analysis: post
      ? {
          language: post.analysis.language,
          sentiment: { label: post.analysis.sentimentLabel, score: post.analysis.sentimentScore },
          complaint: { label: post.analysis.isComplaint, probability: post.analysis.complaintProbability, why: post.analysis.why },
          topic: post.analysis.topic,
          severity: post.analysis.severity,
          severityWhy: post.analysis.severityWhy,
          abusive: post.analysis.abusive,
          intent: post.analysis.intent,
          modelVersion: post.analysis.modelVersion,
        }
      : null,
  };
}

// Each milestone: due, met, breached (when), business time left (negative once late), whether its
// clock is paused now (outside business hours), and the time it ran split into the agent's part
// and the replies' wait for an approver.
function slaView(c: Case, brand: BrandConfig, now: Date) {
  const sla = caseSla(c, brand.sla, now);
  const milestone = (m: MilestoneState) => ({
    dueAt: m.dueAt,
    metAt: m.metAt,
    breached: m.breachedAt !== null,
    breachedAt: m.breachedAt,
    timeLeftMs: m.timeLeftMs,
    running: m.running,
    paused: m.paused,
    agentMs: m.agentMs,
    approvalWaitMs: m.approvalWaitMs,
  });
  return {
    startedAt: sla.startedAt,
    businessHoursNow: sla.open,
    nextDueAt: sla.nextDueAt,
    acknowledgement: milestone(sla.milestones.acknowledgement),
    firstResponse: milestone(sla.milestones.firstResponse),
    resolution: milestone(sla.milestones.resolution),
  };
}

export function timelineView(events: TimelineEntry[]) {
  return events.map((e) => ({
    at: e.at,
    type: e.type,
    actor: e.actor,
    data: e.data,
    post: e.post ? { id: e.post.id, text: e.post.text, url: e.post.url, author: e.post.author?.handle ?? null, postedAt: e.post.postedAt } : null,
  }));
}

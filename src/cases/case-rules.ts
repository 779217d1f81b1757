import type { BrandConfig } from '../config/config.schema.js';
import type { PostAnalysisResult } from '../analysis/analysis.service.js';
import type { Due } from '../customers/priority.js';
import type { Case } from './case.entity.js';

// Priorities (customers/priority.ts) run from 1 to 9; a reopened case goes to the top of the queue.
export { REOPEN_PRIORITY } from '../customers/priority.js';

export function followUpDueAt(resolvedAt: Date, brand: BrandConfig): Date {
  return new Date(resolvedAt.getTime() + brand.followUp.delayMinutes * 60_000);
}

export function claimExpiresAt(now: Date, brand: BrandConfig): Date {
  return new Date(now.getTime() + brand.claimMinutes * 60_000);
}

// The nearest due time of an SLA milestone not met yet, which the time left in a case's priority
// counts down to; NEXT_DUE_SQL says the same in the queue's SQL.
export function nextDue(c: Pick<Case, 'acknowledgedAt' | 'ackDueAt' | 'firstRespondedAt' | 'firstResponseDueAt' | 'resolutionDueAt'>): Due | null {
  const due: Due[] = [];
  if (!c.acknowledgedAt) due.push({ at: c.ackDueAt, milestone: 'acknowledgement' });
  if (!c.firstRespondedAt && c.firstResponseDueAt) due.push({ at: c.firstResponseDueAt, milestone: 'first response' });
  if (c.resolutionDueAt) due.push({ at: c.resolutionDueAt, milestone: 'resolution' });
  return due.reduce<Due | null>((nearest, d) => (!nearest || d.at < nearest.at ? d : nearest), null);
}

export const NEXT_DUE_SQL = (alias: string) =>
  `LEAST(CASE WHEN ${alias}.acknowledged_at IS NULL THEN ${alias}.ack_due_at END, ` +
  `CASE WHEN ${alias}.first_responded_at IS NULL THEN ${alias}.first_response_due_at END, ${alias}.resolution_due_at)`;

export type AnswerOutcome = 'recovered' | 'reopen' | 'unclear';

// What the customer's answer to "is everything resolved?" says.
export function answerOutcome(analysis: PostAnalysisResult): AnswerOutcome {
  if (analysis.complaint.label || analysis.sentiment.label === 'negative') return 'reopen';
  if (analysis.sentiment.label === 'positive') return 'recovered';
  return 'unclear';
}

export { caseReference } from '../common/case-reference.js';
